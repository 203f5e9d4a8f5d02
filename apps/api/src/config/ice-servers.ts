import { registerDecorator, type ValidationOptions } from 'class-validator';

/** One STUN or TURN server, as WebRTC's RTCIceServer takes it. */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/** VIDEO_ICE_SERVERS as given (a JSON array); anything that is not JSON is left for the validator to name. */
export function parseIceServers(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (value.trim() === '') return [];
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

const ICE_URL = /^(stun|stuns|turn|turns):[^\s]+$/;

export function isIceServerList(value: unknown): value is IceServer[] {
  if (!Array.isArray(value) || value.length > 10) return false;
  return value.every((s: unknown) => {
    if (typeof s !== 'object' || s === null) return false;
    const { urls, username, credential, ...rest } = s as Record<string, unknown>;
    if (Object.keys(rest).length > 0) return false;
    const list = Array.isArray(urls) ? urls : [urls];
    if (list.length === 0 || !list.every((u) => typeof u === 'string' && ICE_URL.test(u))) return false;
    return (username === undefined || typeof username === 'string') && (credential === undefined || typeof credential === 'string');
  });
}

export function IsIceServers(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isIceServers',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message:
          'VIDEO_ICE_SERVERS must be a JSON array of {"urls": "stun:…" | "turn:…" | [...], "username"?, "credential"?} (at most 10)',
        ...options,
      },
      validator: { validate: (value: unknown) => isIceServerList(value) },
    });
}
