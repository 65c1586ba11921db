import { SignJWT, jwtVerify, errors } from 'jose';

/** The claims API.md names: `sub` acts, `roles` grant, `units` scope, `exp` ends the token. */
export interface Principal {
  sub: string;
  roles: string[];
  units: string[];
}

export class TokenRefused extends Error {}

export const secretKey = (secret: string): Uint8Array => new TextEncoder().encode(secret);

/** HS256 only: `alg: none` and every other algorithm are refused by jose before the signature is checked. */
export async function verifyToken(token: string, key: Uint8Array): Promise<Principal> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, key, { algorithms: ['HS256'], requiredClaims: ['sub', 'exp'] }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new TokenRefused('the token has expired');
    throw new TokenRefused('the token is not a valid HS256 JWT signed with this server\'s secret');
  }
  const { sub, roles, units } = payload;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 200 || !PRINTABLE_SUB.test(sub)) throw new TokenRefused('the token names no subject (sub)');
  if (!isStringArray(roles)) throw new TokenRefused('the token\'s roles claim must be an array of strings');
  if (!isStringArray(units)) throw new TokenRefused('the token\'s units claim must be an array of unit ids or ["*"]');
  return { sub, roles, units };
}

/** `sub` is stored on every event as `actor`: no control characters, well-formed UTF-16. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const PRINTABLE_SUB = /^(?:[^\u0000-\u001f\u007f\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])+$/;

const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');

/** Mints a token (start-up's admin token, tests, the CLI). */
export async function signToken(principal: Principal, key: Uint8Array, expiresIn: string | number = '1h'): Promise<string> {
  return new SignJWT({ roles: principal.roles, units: principal.units })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(principal.sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key);
}
