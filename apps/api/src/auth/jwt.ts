import { SignJWT, createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import type { AuthConfig } from '@cadre-ledger/platform';
import { IDENTIFIER_PATTERN } from '@cadre-ledger/domain';
import { LEDGER_ROLES } from '@cadre-ledger/platform';

/** The claims API.md names: `sub` acts, `roles` grant, `units` scope, `exp` ends the token. */
export interface Principal {
  sub: string;
  roles: string[];
  units: string[];
}

export class TokenRefused extends Error {}

/** The identity provider's keys could not be fetched: the server's problem (503), not the caller's. */
export class IdentityProviderUnavailable extends Error {}

export const secretKey = (secret: string): Uint8Array => new TextEncoder().encode(secret);

/** Turns a bearer token into the principal it speaks for, or throws TokenRefused. */
export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

export interface VerifierOptions {
  /** HS256: the server's own tokens (`ledger token`, the start-up admin token). */
  secret?: Uint8Array;
  /** RS256/ES256 tokens of an identity provider, and how its claims map to the ledger's. */
  auth?: Omit<AuthConfig, 'jwtSecret'>;
  /** jose's remote key set options (tests shorten the cooldown between refetches). */
  jwksOptions?: { cooldownDuration?: number; cacheMaxAge?: number; timeoutDuration?: number };
  /** The furthest a token's `exp` may lie in the future (LEDGER_JWT_MAX_LIFETIME_DAYS); default 31 days. */
  maxLifetimeSeconds?: number;
}

/** The default of LEDGER_JWT_MAX_LIFETIME_DAYS: the start-up admin token lives 30 days. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 31 * 86_400;

/**
 * The token's `alg` says who vouches for it: HS256 is verified with the server's secret and
 * carries `roles` and `units` as API.md names them; an asymmetric algorithm (RS256, ES256, as
 * configured) with the identity provider's key of that `kid` from its JWKS (fetched again when an
 * unknown `kid` appears: key rotation needs no restart), its issuer and audience checked, and the
 * role and unit claims read where the configuration says. `alg: none`, and any algorithm not
 * configured, are refused before a signature is looked at.
 */
export function tokenVerifier(options: VerifierOptions): TokenVerifier {
  const jwks = options.auth?.jwks;
  const keySet = jwks ? createRemoteJWKSet(new URL(jwks.url), { cooldownDuration: 30_000, cacheMaxAge: 600_000, timeoutDuration: 5_000, ...options.jwksOptions }) : undefined;
  const accepted = [...(options.secret ? ['HS256'] : []), ...(jwks?.algorithms ?? [])];
  const maxLifetime = options.maxLifetimeSeconds ?? options.auth?.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  /** A token that claims to be valid for years is a stolen key's or a mistake's: refused. */
  const notTooLong = (payload: JWTPayload): JWTPayload => {
    if (typeof payload.exp === 'number' && payload.exp - Date.now() / 1000 > maxLifetime) {
      throw new TokenRefused(`the token's exp lies more than ${Math.round(maxLifetime / 86_400)} days ahead; mint a shorter-lived one`);
    }
    return payload;
  };
  return {
    async verify(token) {
      let alg: unknown;
      try {
        alg = decodeProtectedHeader(token).alg;
      } catch {
        throw new TokenRefused('the token is not a JWT');
      }
      if (typeof alg !== 'string' || !accepted.includes(alg)) throw new TokenRefused(`the token's algorithm must be one of ${accepted.join(', ')}`);
      if (alg === 'HS256' && options.secret) return ledgerClaims(notTooLong(await verified(() => jwtVerify(token, options.secret as Uint8Array, { algorithms: ['HS256'], requiredClaims: ['sub', 'exp'] }), 'an HS256 JWT signed with this server\'s secret')));
      if (!jwks || !keySet || !options.auth) throw new TokenRefused('no identity provider is configured for this algorithm');
      const payload = await verified(
        () => jwtVerify(token, keySet, { algorithms: jwks.algorithms, issuer: jwks.issuer, audience: jwks.audience, requiredClaims: ['exp'] }),
        `a JWT of ${jwks.issuer} for ${jwks.audience.join(' or ')}`,
      );
      return providerClaims(notTooLong(payload), options.auth);
    },
  };
}

async function verified(check: () => Promise<{ payload: JWTPayload }>, what: string): Promise<JWTPayload> {
  try {
    return (await check()).payload;
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new TokenRefused('the token has expired');
    if (error instanceof errors.JWTClaimValidationFailed) throw new TokenRefused(`the token's ${error.claim} claim is not accepted (${error.reason})`);
    if (error instanceof errors.JWKSNoMatchingKey) throw new TokenRefused('the identity provider publishes no key with the token\'s kid');
    if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError) || error.code === 'ERR_JOSE_GENERIC') {
      throw new IdentityProviderUnavailable(`the identity provider's keys could not be fetched (${(error as Error).message}); try again`);
    }
    throw new TokenRefused(`the token is not ${what}`);
  }
}

/** HS256 tokens: `sub`, `roles`, `units` as API.md names them. */
function ledgerClaims(payload: JWTPayload): Principal {
  const { sub, roles, units } = payload;
  if (!isStringArray(roles)) throw new TokenRefused('the token\'s roles claim must be an array of strings');
  return { sub: subject(sub), roles: knownRoles(roles), units: unitIds(units, 'units') };
}

/** Roles the ledger knows; any other grants nothing (a name such as `constructor` is no key of any table). */
const knownRoles = (roles: readonly string[]): string[] => [...new Set(roles.filter((role) => (LEDGER_ROLES as readonly string[]).includes(role)))];

/** Unit ids (API.md's identifier pattern) or `*`: anything else is not a scope. */
function unitIds(units: unknown, claim: string): string[] {
  if (!isStringArray(units) || !units.every((unit) => unit === '*' || IDENTIFIER_PATTERN.test(unit))) throw new TokenRefused(`the token's ${claim} claim must be an array of unit ids or ["*"]`);
  return units;
}

/** An identity provider's token: claims where the configuration says, roles mapped. */
export function providerClaims(payload: JWTPayload, auth: Omit<AuthConfig, 'jwtSecret'>): Principal {
  const sub = subject(claimAt(payload, auth.subjectClaim));
  const named = words(claimAt(payload, auth.rolesClaim), auth.rolesClaim);
  const roles = auth.roleMap ? named.flatMap((role) => (Object.hasOwn(auth.roleMap!, role) ? auth.roleMap![role] : [])) : named;
  return { sub, roles: knownRoles(roles), units: unitIds(words(claimAt(payload, auth.unitsClaim), auth.unitsClaim), auth.unitsClaim) };
}

/** `realm_access.roles` → payload.realm_access.roles. */
function claimAt(payload: JWTPayload, path: string): unknown {
  let value: unknown = payload;
  for (const part of path.split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  return value;
}

/** An array of strings, or one string of words separated by spaces or commas; absent: none. */
function words(value: unknown, claim: string): string[] {
  if (value === undefined) return [];
  if (typeof value === 'string') return value.split(/[\s,]+/).filter((w) => w.length > 0);
  if (isStringArray(value)) return value;
  throw new TokenRefused(`the token's ${claim} claim must be an array of strings or one string`);
}

function subject(sub: unknown): string {
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 200 || !PRINTABLE_SUB.test(sub)) throw new TokenRefused('the token names no subject (sub)');
  return sub;
}

/**
 * `sub` is stored on every event as `actor` and shown in the read audit: no control characters (C0,
 * DEL, C1), no bidirectional controls (U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069, which make
 * a name read as another), no line or paragraph separators; well-formed UTF-16.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const PRINTABLE_SUB = /^(?:[^\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])+$/;

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
