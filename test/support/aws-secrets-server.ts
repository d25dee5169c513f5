// A small SSM and Secrets Manager on 127.0.0.1 for the Lambda's secrets (functions/entry/
// edge-secrets.ts): the JSON protocol's GetParameter and GetSecretValue (POST /, X-Amz-Target
// AmazonSSM.GetParameter / secretsmanager.GetSecretValue, application/x-amz-json-1.1). Each
// request's SigV4 signature is checked by signing it again with the test's keys (the SDK's signer
// over node:crypto, not the edge's: aws4fetch on WebCrypto), over the headers it says it signed:
// a request that is not signed so is answered 403 InvalidSignatureException, as AWS answers it.
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';

export const SECRETS_CREDENTIALS = {
  accessKeyId: 'test',
  secretAccessKey: 'test',
  sessionToken: 'test',
};

/** What the server answers for one id: a stored value, an AWS error, or never. */
export type SecretAnswer =
  | { value: string; type?: 'SecureString' | 'String' }
  | { error: string; status?: number }
  | 'stall';

/** One request as the server saw it. */
export interface SecretRequest {
  target: string;
  /** The credential scope's region and service (…/<date>/<region>/<service>/aws4_request). */
  scope: string;
  signatureValid: boolean;
  body: Record<string, unknown>;
}

export interface AwsSecretsServer {
  endpoint: string;
  /** The answers by parameter name or secret id. */
  answers: Map<string, SecretAnswer>;
  requests: SecretRequest[];
  close(): Promise<void>;
}

type Data = string | ArrayBuffer | ArrayBufferView;
const bytes = (d: Data) =>
  typeof d === 'string'
    ? d
    : d instanceof ArrayBuffer
      ? new Uint8Array(d)
      : new Uint8Array(d.buffer, d.byteOffset, d.byteLength);

class NodeSha256 {
  #hash;
  constructor(secret?: Data) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: Data): void {
    this.#hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }
}

const TARGETS: Record<string, { service: string; id: string }> = {
  'AmazonSSM.GetParameter': { service: 'ssm', id: 'Name' },
  'secretsmanager.GetSecretValue': { service: 'secretsmanager', id: 'SecretId' },
};

async function signatureValid(req: IncomingMessage, body: string, service: string) {
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(amzDate);
  const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(req.headers.authorization));
  if (!m || !scope) return false;
  // The headers the request says it signed (SigV4 SignedHeaders), as received; x-amz-date is the
  // signing date, which the signer adds itself.
  const names = /SignedHeaders=([^,\s]+)/.exec(String(req.headers.authorization))?.[1]?.split(';');
  if (!names?.includes('host') || !names.includes('x-amz-target')) return false;
  const headers: Record<string, string> = {};
  for (const name of names)
    if (name !== 'x-amz-date') headers[name] = String(req.headers[name] ?? '');
  const signer = new SignatureV4({
    service,
    region: scope[1]!,
    credentials: SECRETS_CREDENTIALS,
    sha256: NodeSha256,
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      path: req.url ?? '/',
      query: {},
      headers,
      body,
    },
    { signingDate: new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`) },
  );
  return signed.headers.authorization === req.headers.authorization;
}

export async function startAwsSecretsServer(): Promise<AwsSecretsServer> {
  const answers = new Map<string, SecretAnswer>();
  const requests: SecretRequest[] = [];
  const json = (res: ServerResponse, status: number, value: unknown) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify(value));
  };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const target = String(req.headers['x-amz-target'] ?? '');
    const known = TARGETS[target];
    const scope = /Credential=[^/]+\/\d{8}\/(.+)\/aws4_request/.exec(
      String(req.headers.authorization),
    );
    const body = JSON.parse(text || '{}') as Record<string, unknown>;
    const valid = known ? await signatureValid(req, text, known.service) : false;
    requests.push({ target, scope: scope?.[1] ?? '', signatureValid: valid, body });
    if (!known) return json(res, 400, { __type: 'UnknownOperationException' });
    if (!valid || req.headers['content-type'] !== 'application/x-amz-json-1.1')
      return json(res, 403, { __type: 'InvalidSignatureException', message: 'bad signature' });
    const id = String(body[known.id]);
    const answer = answers.get(id);
    if (answer === 'stall') return; // never answered; closed with the server
    if (answer === undefined || 'error' in answer)
      return json(res, answer?.status ?? 400, {
        __type:
          answer?.error ??
          (known.service === 'ssm' ? 'ParameterNotFound' : 'ResourceNotFoundException'),
        message: `no answer for ${id}`,
      });
    if (known.service === 'secretsmanager')
      return json(res, 200, { Name: id, SecretString: answer.value });
    if (body.WithDecryption !== true) return json(res, 400, { __type: 'ValidationException' });
    json(res, 200, {
      Parameter: { Name: id, Type: answer.type ?? 'SecureString', Value: answer.value, Version: 1 },
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    answers,
    requests,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
