import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { NextRequest } from "next/server";
import { frontRequest, markRequestFrontInstalled } from "@/lib/http/request-front";
import { NO_TRUSTED_PROXIES, type TrustedProxies } from "@/lib/http/client-address";

type RouteHandler = (request: NextRequest, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
export type RouteModule = Partial<Record<"GET" | "POST" | "PUT" | "PATCH" | "DELETE", RouteHandler>>;

export interface RouteServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** `/api/findings/[id]/assign` → a matcher that returns the params, or null. */
function compilePattern(pattern: string): (pathname: string) => Record<string, string> | null {
  const names: string[] = [];
  const source = pattern
    .split("/")
    .map((segment) => {
      const catchAll = /^\[\.\.\.(\w+)\]$/.exec(segment);
      if (catchAll) {
        names.push(catchAll[1]);
        return "(.+)";
      }
      const dynamic = /^\[(\w+)\]$/.exec(segment);
      if (dynamic) {
        names.push(dynamic[1]);
        return "([^/]+)";
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  const regex = new RegExp(`^${source}$`);
  return (pathname) => {
    const match = regex.exec(pathname);
    if (!match) return null;
    return Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(match[index + 1])]));
  };
}

/**
 * A real HTTP server on loopback in front of route handler modules, with the production front
 * (cli/web-server.ts): requests arrive over sockets, the client's address comes from the socket.
 */
export async function serveRoutes(routes: Record<string, RouteModule>, options: { trusted?: TrustedProxies } = {}): Promise<RouteServer> {
  markRequestFrontInstalled();
  const table = Object.entries(routes).map(([pattern, module]) => ({ match: compilePattern(pattern), module }));
  const server = http.createServer(async (request, response) => {
    try {
      if (!frontRequest(request, response, options.trusted ?? NO_TRUSTED_PROXIES)) return;
      const url = new URL(request.url ?? "/", `http://${request.headers.host ?? "localhost"}`);
      const found = table.map((route) => ({ route, params: route.match(url.pathname) })).find((candidate) => candidate.params);
      const handler = found?.route.module[(request.method ?? "GET") as keyof RouteModule];
      if (!found || !handler) {
        response.writeHead(found ? 405 : 404).end();
        return;
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) {
        if (Array.isArray(value)) value.forEach((item) => headers.append(name, item));
        else if (value !== undefined) headers.set(name, value);
      }
      const hasBody = request.method !== "GET" && request.method !== "HEAD";
      const init = { method: request.method, headers, body: hasBody ? (Readable.toWeb(request) as ReadableStream<Uint8Array>) : undefined, duplex: "half" };
      const nextRequest = new NextRequest(url, init as ConstructorParameters<typeof NextRequest>[1]);
      const answer = await handler(nextRequest, { params: Promise.resolve(found.params!) });
      const outgoing: Record<string, string | string[]> = {};
      answer.headers.forEach((value, name) => {
        if (name !== "set-cookie") outgoing[name] = value;
      });
      const cookies = answer.headers.getSetCookie();
      if (cookies.length) outgoing["set-cookie"] = cookies;
      response.writeHead(answer.status, outgoing);
      response.end(Buffer.from(await answer.arrayBuffer()));
    } catch (error) {
      response.writeHead(599, { "content-type": "text/plain" }).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP request from a chosen loopback address (127.0.0.0/8 all reach the server). */
export function httpRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; localAddress?: string } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const request = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? "GET",
        headers: { ...(options.body !== undefined ? { "content-type": "application/json", "content-length": Buffer.byteLength(options.body) } : {}), ...options.headers },
        localAddress: options.localAddress,
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString("utf8") }));
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    if (options.body !== undefined) request.write(options.body);
    request.end();
  });
}

/** The `name=value` pairs of a response's Set-Cookie headers, as a Cookie header. */
export function cookieHeader(answer: HttpAnswer): string {
  return (answer.headers["set-cookie"] ?? []).map((cookie) => cookie.split(";")[0]).join("; ");
}
