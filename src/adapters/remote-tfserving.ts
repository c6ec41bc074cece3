// A TensorFlow Serving REST endpoint as a Session: metadata from `GET …/metadata` (the
// serving_default signature), predict in the row form (`instances`, --encoding json or auto) or
// the columnar form (`inputs`, --encoding columnar).
import { InferbenchError } from '../errors.js';
import type { HostTensor, ModelInfo } from '../model/spec.js';
import { isProtocolError } from '../protocols/protocol-error.js';
import { decodePredictResponse, encodePredictRequest, tfSpecsOf, type PredictForm } from '../protocols/tfserving/rest.js';
import type { RemoteClientOptions, Session } from './adapter.js';
import { HttpClient, type HttpAnswer } from './remote-http.js';
import { inferError, openError, remoteInfo, responseError, safeJson } from './remote-common.js';
import { modelPath, type RemoteTarget } from './remote-url.js';

export async function openTfServingSession(target: RemoteTarget, options: RemoteClientOptions): Promise<Session> {
  if (options.encoding === 'binary') throw new InferbenchError('usage', '--encoding binary is KServe\'s binary tensor extension; TF Serving REST takes JSON', 'use --encoding json (row form, "instances") or --encoding columnar ("inputs")');
  const form: PredictForm = options.encoding === 'columnar' ? 'inputs' : 'instances';
  const client = new HttpClient(target.origin, options);
  const base = modelPath(target);
  let info: ModelInfo;
  try {
    const answer = await client.request('GET', `${base}/metadata`, null).catch((error: unknown) => {
      throw error instanceof InferbenchError ? new InferbenchError('model-not-found', error.message, 'check the URL, and that the server is running') : error;
    });
    if (answer.status !== 200) throw openError(target, `GET ${target.origin}${base}/metadata`, answer);
    try {
      const { inputs, outputs } = tfSpecsOf(safeJson(answer.body));
      info = remoteInfo(target, answer.body, inputs, outputs);
    } catch (error) {
      throw openError(target, `GET ${base}/metadata`, null, isProtocolError(error) ? error.message : String(error));
    }
  } catch (error) {
    client.close();
    throw error;
  }
  return {
    info,
    backend: `TF Serving REST, ${form === 'instances' ? 'row form ("instances")' : 'columnar form ("inputs")'} (${target.display})`,
    endpoint: { protocol: 'tfserving', url: target.display, encoding: form === 'instances' ? 'row' : 'columnar' },
    prepare: (inputs: readonly HostTensor[]) => Buffer.from(encodePredictRequest(inputs, form)),
    async run(feeds) {
      const body = feeds as Buffer;
      const answer = await client.request('POST', `${base}:predict`, [body], { 'content-type': 'application/json', 'content-length': String(body.length) });
      if (answer.status !== 200) throw inferError(target, answer);
      return answer;
    },
    collect(outputs) {
      try {
        return decodePredictResponse((outputs as HttpAnswer).body.toString('utf8'), form, info.outputs);
      } catch (error) {
        throw responseError(target, error);
      }
    },
    close: async () => client.close(),
  };
}
