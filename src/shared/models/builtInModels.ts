/**
 * The built-in architectures' names, as `--model` takes them: what the coordinator needs to know of them (which
 * names are built in) without loading tfjs. The worker's `BUILT_IN_MODELS` builds one per name (its keys are checked
 * against these).
 */
export const BUILT_IN_MODEL_NAMES = ['resnet-mini', 'resnet20', 'resnet56', 'cnn', 'mlp'] as const;

export type BuiltInModelName = (typeof BUILT_IN_MODEL_NAMES)[number];

export function isBuiltInModel(name: string): name is BuiltInModelName {
  return (BUILT_IN_MODEL_NAMES as readonly string[]).includes(name);
}
