/**
 * Node reads a socket into buffers the caller hands out (`onread`: no allocation and no copy per read, reads as
 * large as the buffer) only for sockets it constructs with that option, which net.Server does not offer for the
 * connections it accepts. adoptForOnread re-makes an accepted plain-TCP connection as such a socket: the new
 * net.Socket takes over the accepted one's handle (the server pauses on connect, so nothing has been read yet),
 * and the accepted socket lets go of it and is destroyed without closing it (which also leaves the server's
 * connection count). This uses the handle net.Socket keeps in `_handle` and its constructor's `handle` option,
 * both undocumented (node:net's own server passes accepted handles this way); when the socket has no such handle,
 * it returns undefined and the caller reads 'data' events instead.
 */
import net from 'node:net';
import tls from 'node:tls';

interface StreamHandle {
  readStart(): number;
  readStop(): number;
}

function streamHandleOf(socket: net.Socket): StreamHandle | undefined {
  const handle: unknown = (socket as unknown as { _handle?: unknown })._handle;
  if (typeof handle !== 'object' || handle === null) return undefined;
  const h = handle as Partial<StreamHandle>;
  return typeof h.readStart === 'function' && typeof h.readStop === 'function' ? (handle as StreamHandle) : undefined;
}

/** The accepted, not yet reading `socket` as a socket that reads through `onread`; undefined when it cannot be. */
export function adoptForOnread(socket: net.Socket, onread: net.OnReadOpts): net.Socket | undefined {
  if (socket instanceof tls.TLSSocket || socket.readableFlowing) return undefined;
  const handle = streamHandleOf(socket);
  if (!handle) return undefined;
  const opts: net.SocketConstructorOpts & { handle: StreamHandle; onread: net.OnReadOpts } = {
    handle,
    onread,
    readable: true,
    writable: true,
  };
  const adopted = new net.Socket(opts);
  (socket as unknown as { _handle: unknown })._handle = null;
  socket.destroy();
  return adopted;
}
