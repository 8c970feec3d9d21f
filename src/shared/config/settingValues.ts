/**
 * The value types of a table of setting declarations (fitSettings.ts, lr-find's), derived from the table itself:
 * a key's type follows from its check (a count is a number, an enum one of its values, a switch a boolean, text a
 * string) or, for a `custom` one, from the type it names (`custom<number[]>()`). Adding a setting is one declaration.
 */

declare const valueType: unique symbol;

/** A setting parsed and checked by its own code; `T` is its value's type (a type only: nothing at run time). */
export interface CustomCheck<T> {
  kind: 'custom';
  readonly [valueType]?: T;
}

/** The check of a setting whose value has type `T` and is parsed and checked by its own code. */
export function custom<T>(): CustomCheck<T> {
  return { kind: 'custom' };
}

/** The type of one declaration's value. */
export type ValueOf<D> = D extends { check: CustomCheck<infer T> }
  ? T
  : D extends { check: { kind: 'enum'; values: readonly (infer V)[] } }
    ? V
    : D extends { check: { kind: 'switch' } }
      ? boolean
      : D extends { check: { kind: 'count' | 'fraction' | 'positive' } }
        ? number
        : D extends { check: { kind: 'text' } }
          ? string
          : never;

/** Key -> value type of every declaration with a key (two flags may set one key, as --augment and --no-augment). */
type Values<Table extends readonly unknown[]> = {
  -readonly [D in Extract<Table[number], { key: string }> as D['key']]: ValueOf<D>;
};

type OptionalKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? K : never }[keyof T];

/** The object a table of declarations describes: a key whose type admits undefined is optional. */
export type SettingValues<Table extends readonly unknown[]> = {
  [K in Exclude<keyof Values<Table>, OptionalKeys<Values<Table>>>]: Values<Table>[K];
} & { [K in OptionalKeys<Values<Table>>]?: Values<Table>[K] };

/** The declarations whose default is not of their declared type, by key (empty when every default fits). */
type MistypedDefaults<Table extends readonly unknown[]> = {
  [D in Extract<Table[number], { key: string; default: unknown }> as D['default'] extends Readonly<ValueOf<D>>
    ? never
    : D['key']]: D;
};

/**
 * `Table` itself while every default is of its key's declared type; otherwise an object naming the keys whose
 * default is not, which SettingValues refuses at compile time.
 */
export type DefaultsOfTheirType<Table extends readonly unknown[]> = keyof MistypedDefaults<Table> extends never
  ? Table
  : { 'the default is not of the declared type': keyof MistypedDefaults<Table> };
