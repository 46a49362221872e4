import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultQueue, SimulatorListener, TrickleFault } from '../faults.js';
import type { PlatformKeys } from '../keys/platform-keys.js';
import type { SimulatorMerchants } from '../merchants.js';
import type { SimulatorRequestRecord } from '../simulator-options.js';
import { type NextResponseTamper, tamperXmlBody } from '../tampering.js';
import { SimulatorError, type SimulatorAnswer } from '../v3/answers.js';
import { authenticateV3 } from '../v3/authentication.js';
import type { V3Router } from '../v3/router.js';
import { sendV3Answer } from '../v3/signed-answer.js';
import type { V2SimulatorAnswer } from '../v2/answers.js';
import type { V2Router } from '../v2/router.js';
import { clientCertificateMchid, readBody, write } from './io.js';
import { parseUpload } from './multipart.js';

/** What the request handler works with. */
export interface RequestHandlerDeps {
  /** Where every request is recorded. */
  requests: SimulatorRequestRecord[];
  maxBodyBytes: number;
  faults: FaultQueue;
  tampers: NextResponseTamper;
  merchants: SimulatorMerchants;
  platformKeys: PlatformKeys;
  v3: V3Router;
  v2: V2Router;
  /** Base URL of a listener, for links in answers. */
  url: (listener: SimulatorListener) => string;
}

/**
 * One request, as WeChat Pay would take it: recorded, its body read within the size limit, an
 * injected fault applied, then API v3 (authenticated, routed, signed) or API v2 (the rest).
 */
export async function handleRequest(
  deps: RequestHandlerDeps,
  listener: SimulatorListener,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const record: SimulatorRequestRecord = {
    listener,
    method: req.method ?? 'GET',
    path: req.url ?? '/',
    status: 0,
    at: new Date(),
    wechatpaySerial: singleHeader(req.headers['wechatpay-serial']),
  };
  deps.requests.push(record);
  let body: Buffer;
  try {
    body = await readBody(req, deps.maxBodyBytes);
  } catch {
    record.status = 413;
    res.writeHead(413).end();
    return;
  }
  const fault = deps.faults.take(listener);
  if (fault?.type === 'reset') {
    record.status = -1;
    req.socket.destroy();
    return;
  }
  if (fault?.type === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
  if (res.destroyed) return;
  const pace = fault?.type === 'trickle' ? fault : undefined;

  let answer: SimulatorAnswer;
  try {
    if (fault?.type === 'status') {
      throw new SimulatorError(
        fault.status,
        fault.code ?? 'SYSTEM_ERROR',
        fault.message ?? '系统错误',
      );
    }
    if (!(req.url ?? '').startsWith('/v3/')) {
      const v2Answer = deps.v2.handle({
        path: (req.url ?? '/').split('?')[0]!,
        body,
        clientCertificateMchid: clientCertificateMchid(req),
        error: fault?.type === 'v2Error' ? fault : undefined,
      });
      record.status = 200;
      sendV2Answer(res, v2Answer, deps.tampers, pace);
      return;
    }
    // Media uploads are signed over their `meta` JSON only, not the multipart body.
    const contentType = req.headers['content-type'] ?? '';
    const upload = /^multipart\/form-data/i.test(contentType)
      ? parseUpload(contentType, body)
      : undefined;
    record.mchid = authenticateV3(req, upload ? Buffer.from(upload.meta) : body, deps.merchants);
    answer = deps.v3.handle({
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      body: upload ? Buffer.from(upload.meta) : body,
      upload,
      mchid: record.mchid,
      baseUrl: deps.url(listener),
      wechatpaySerial: record.wechatpaySerial,
    });
  } catch (error) {
    answer =
      error instanceof SimulatorError
        ? { status: error.status, body: { code: error.code, message: error.message } }
        : { status: 500, body: { code: 'SYSTEM_ERROR', message: String(error) } };
  }
  record.status = answer.status;
  sendV3Answer(res, answer, deps.platformKeys, deps.tampers, pace);
}

/** Sends an API v2 answer (signed in its body already), spoiled if a test asked for it. */
function sendV2Answer(
  res: ServerResponse,
  answer: V2SimulatorAnswer,
  tampers: NextResponseTamper,
  pace: TrickleFault | undefined,
): void {
  const tamper = tampers.take();
  if ('file' in answer) {
    write(res, 200, { 'Content-Type': 'text/plain; charset=utf-8' }, answer.file, pace);
  } else {
    const xml = tamper?.body ? tamperXmlBody(answer.xml) : answer.xml;
    write(res, 200, { 'Content-Type': 'text/xml; charset=utf-8' }, xml, pace);
  }
}

/** A header sent once, as a string. */
function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
