import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { Request, Response } from 'express';

/** A WHIP session's id in its URL (a UUID). */
export const SESSION_ID = /^[0-9a-f-]{36}$/;

/** The request's SDP offer (main.ts's text parser reads `application/sdp`, at most WHIP_OFFER_MAX_BYTES), or a 415. */
export function sdpOffer(req: Request): string {
  if (!req.is('application/sdp') || typeof req.body !== 'string')
    throw new UnsupportedMediaTypeException('Send the offer as application/sdp.');
  return req.body;
}

/** RFC 9725's answer: 201, the session's URL in `Location`, the SDP answer as the body. */
export function sendAnswer(res: Response, location: string, answer: string): void {
  res.status(201).setHeader('Location', location).type('application/sdp').send(answer);
}
