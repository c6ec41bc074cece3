// The HTTP client of the remote adapter: node:http(s) with one kept-alive connection per session
// (a stream of a closed loop is one connection, as wrk and hey hold theirs), the response read
// to its last byte, and every way a request can fail turned into one line that says where.
import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { InferbenchError } from '../errors.js';
import type { RemoteClientOptions } from './adapter.js';

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export class HttpClient {
  private readonly agent: HttpAgent;
  private readonly send: typeof httpRequest;

  constructor(
    private readonly origin: string,
    private readonly options: RemoteClientOptions,
  ) {
    const tls = origin.startsWith('https:');
    const ca = tls && options.tlsCa ? readCa(options.tlsCa) : undefined;
    this.agent = tls ? new HttpsAgent({ keepAlive: true, maxSockets: 1, ...(ca && { ca }), rejectUnauthorized: !options.insecure }) : new HttpAgent({ keepAlive: true, maxSockets: 1 });
    this.send = tls ? (httpsRequest as typeof httpRequest) : httpRequest;
  }

  /** One request, resolved at the response's last byte; network failures are InferbenchErrors. */
  request(method: string, path: string, body: readonly Buffer[] | null, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    const url = `${this.origin}${path}`;
    return new Promise((resolve, reject) => {
      const req = this.send(url, { method, agent: this.agent, headers: { ...this.options.headers, ...headers }, timeout: this.options.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) }));
        res.on('error', (error) => reject(networkError(method, url, error)));
        res.on('aborted', () => reject(networkError(method, url, Object.assign(new Error('the server closed the connection mid-response'), { code: 'ECONNRESET' }))));
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${this.options.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      req.on('error', (error) => reject(networkError(method, url, error)));
      // Headers and every body part in one TCP write, sent at once: written piecemeal, Nagle's
      // algorithm held the last part until the server's delayed ACK (measured: +13 ms a request).
      req.setNoDelay(true);
      req.cork();
      if (body) for (const chunk of body) req.write(chunk);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function readCa(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new InferbenchError('usage', `--tls-ca ${path}: ${(error as Error).message}`, 'pass the PEM file of the CA that signed the server certificate');
  }
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused: is the server running, on this port?',
  ECONNRESET: 'the server closed the connection (did it stop or crash?)',
  EPIPE: 'the server closed the connection while the request was sent',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name could not be resolved now',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS: the server certificate is self-signed (--tls-ca FILE, or --insecure for a test server)',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS: a self-signed certificate in the chain (--tls-ca FILE)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS: cannot verify the server certificate (--tls-ca FILE)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS: the certificate is not for this host name',
  CERT_HAS_EXPIRED: 'TLS: the server certificate has expired',
  EPROTO: 'TLS handshake failed (is it an http:// server, not https://?)',
};

function networkError(method: string, url: string, error: Error & { code?: string }): InferbenchError {
  const reason = (error.code && REASONS[error.code]) ?? error.message;
  return new InferbenchError('runtime-error', `${method} ${url}: ${reason}${error.code === 'ETIMEDOUT' ? ` (${error.message})` : ''}`, error.code === 'ETIMEDOUT' ? 'raise --request-timeout, or check the server is not stuck' : undefined);
}
