/**
 * Keys the owner makes with `cogpt keys create`: each has a name, the account it spends, an
 * optional expiry and its limits. Only a hash of the secret is stored.
 */

/** What a key may spend and do; undefined: no limit. Credits are in nano-credits (10⁹ = 1). */
export interface KeyLimits {
  readonly nanoCreditsPerDay: number | undefined;
  readonly nanoCreditsPerMonth: number | undefined;
  readonly requestsPerMinute: number | undefined;
  /** Requests of this key answered at the same time. */
  readonly concurrency: number | undefined;
  /** Glob patterns (`*` any run of characters, `?` one) of the models the key may ask for. */
  readonly models: readonly string[] | undefined;
  /** A model served instead while the account's allowance is exhausted. */
  readonly fallbackModel: string | undefined;
}

export interface ManagedKey extends KeyLimits {
  /** Short public id (`key_…`), never the secret. */
  readonly id: string;
  readonly name: string;
  /** The saved login (`cogpt login --save --name …`) it spends; undefined: the server-held account. */
  readonly account: string | undefined;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly expiresAt: number | undefined;
  readonly revokedAt: number | undefined;
}

export interface NewKey extends Partial<KeyLimits> {
  readonly name: string;
  readonly account?: string | undefined;
  readonly expiresAt?: number | undefined;
}

/** Fields `update` may change; a field set to null is cleared (no limit). */
export type KeyChanges = {
  readonly [Field in keyof KeyLimits]?: KeyLimits[Field] | null;
} & {
  readonly account?: string | null | undefined;
  readonly expiresAt?: number | null | undefined;
};

export interface KeyStore {
  /** Creates a key; the secret is returned once and stored only as its SHA-256. */
  create(key: NewKey): { readonly key: ManagedKey; readonly secret: string };
  /** Every key, revoked ones too, in the order they were made. */
  list(): ManagedKey[];
  /**
   * The live (not revoked) key of that name, else the one of that name revoked last: a name is
   * unique among live keys, so a revoked key's name may be given to a new key.
   */
  findByName(name: string): ManagedKey | undefined;
  /** The key whose secret this is (revoked and expired ones too: the caller says why it refuses). */
  findBySecret(secret: string): ManagedKey | undefined;
  /** Changes the live key of that name (a revoked key cannot be changed). */
  update(name: string, changes: KeyChanges): ManagedKey;
  /** Revokes the live key of that name; a key revoked already stays as it was. */
  revoke(name: string): ManagedKey;
}

/**
 * The key `create` makes of a name and the settings `update` takes, read the same way by the
 * command line and the dashboard (a null, "no limit", is simply left out).
 */
export function newKeyOf(name: string, changes: KeyChanges): NewKey {
  return {
    name,
    account: changes.account ?? undefined,
    expiresAt: changes.expiresAt ?? undefined,
    nanoCreditsPerDay: changes.nanoCreditsPerDay ?? undefined,
    nanoCreditsPerMonth: changes.nanoCreditsPerMonth ?? undefined,
    requestsPerMinute: changes.requestsPerMinute ?? undefined,
    concurrency: changes.concurrency ?? undefined,
    models: changes.models ?? undefined,
    fallbackModel: changes.fallbackModel ?? undefined,
  };
}

/** Every managed key's secret starts so: a client's credential is looked up only then. */
export const MANAGED_KEY_PREFIX = "cogpt-";
