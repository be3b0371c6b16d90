import type { Server } from "node:http";
import type { Socket } from "node:net";

interface Connection {
  /** Requests on it whose answer has not finished. */
  active: number;
  /** When it last started or finished a request (or connected), ms. */
  lastUsed: number;
}

export interface ConnectionLimit {
  /** Connections open now. */
  readonly open: number;
}

/**
 * Bounds the client connections open at once. When a new connection would pass `max`, the one
 * that has been idle longest (no request in flight: a keep-alive socket between requests, or a
 * socket that never sent a complete request head) is closed to make room, so health checks and
 * real clients still get in while someone holds many idle sockets open. Only when every
 * connection is busy with a request is the newcomer turned away. Idle sockets are also closed
 * on their own by the keep-alive and client timeouts; this bounds how many can pile up before.
 */
export function limitConnections(
  server: Server,
  max: number,
  now: () => number = Date.now,
): ConnectionLimit {
  const connections = new Map<Socket, Connection>();

  function closeLongestIdle(): boolean {
    let idlest: Socket | undefined;
    let idleSince = Infinity;
    for (const [socket, connection] of connections) {
      if (connection.active === 0 && connection.lastUsed < idleSince) {
        idlest = socket;
        idleSince = connection.lastUsed;
      }
    }
    if (idlest === undefined) return false;
    connections.delete(idlest);
    idlest.destroy();
    return true;
  }

  server.on("connection", (socket: Socket) => {
    if (connections.size >= max && !closeLongestIdle()) {
      socket.destroy();
      return;
    }
    const connection: Connection = { active: 0, lastUsed: now() };
    connections.set(socket, connection);
    socket.once("close", () => connections.delete(socket));
  });
  // An upgraded socket (a WebSocket) is in use for as long as it is open: never closed as idle.
  server.on("upgrade", (incoming: { socket: Socket }) => {
    const connection = connections.get(incoming.socket);
    if (connection !== undefined) connection.active++;
  });
  server.on("request", (incoming: { socket: Socket }, outgoing: NodeJS.EventEmitter) => {
    const connection = connections.get(incoming.socket);
    if (connection === undefined) return;
    connection.active++;
    connection.lastUsed = now();
    outgoing.once("close", () => {
      connection.active--;
      connection.lastUsed = now();
    });
  });

  return {
    get open() {
      return connections.size;
    },
  };
}
