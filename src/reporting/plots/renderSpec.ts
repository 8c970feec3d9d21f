import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { findFont } from './findFont.js';
import { PlotError } from '../PlotError.js';

interface RenderedPlot {
  svg: string;
  png: Buffer;
  /** PNG size in pixels (the SVG's size times `scale`). */
  width: number;
  height: number;
}

/** Text and colours every plot shares (DejaVu Sans in the SVG too, so a browser and resvg agree). */
const PLOT_CONFIG = {
  font: 'DejaVu Sans, Verdana, sans-serif',
  background: 'white',
  view: { stroke: '#ccc' },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#e6e6e6' },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 300 },
  title: { fontSize: 14 },
} as const;

/** Compiles a Vega-Lite spec and renders it headless with Vega (no canvas, no DOM) to an SVG string. */
async function specToSvg(spec: TopLevelSpec, name = 'plot'): Promise<string> {
  let view: vega.View | undefined;
  try {
    const vg = compile({ config: PLOT_CONFIG, ...spec } as TopLevelSpec).spec;
    view = new vega.View(vega.parse(vg), { renderer: 'none' });
    return await view.toSVG();
  } catch (e) {
    throw new PlotError(`${name}: Vega could not render the plot: ${(e as Error).message}`, { cause: e });
  } finally {
    view?.finalize();
  }
}

/** Rasterises an SVG with resvg, text in DejaVu Sans (see findFont), `scale` pixels per SVG unit, on white. */
function svgToPng(svg: string, scale = 2, fontFile = findFont()): { png: Buffer; width: number; height: number } {
  const r = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: scale },
    font: {
      fontFiles: [fontFile],
      loadSystemFonts: false,
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
  });
  const img = r.render();
  return { png: img.asPng(), width: img.width, height: img.height };
}

/** A Vega-Lite spec to SVG and PNG. */
export async function renderSpec(spec: TopLevelSpec, name = 'plot', scale = 2): Promise<RenderedPlot> {
  const svg = await specToSvg(spec, name);
  return { svg, ...svgToPng(svg, scale) };
}
