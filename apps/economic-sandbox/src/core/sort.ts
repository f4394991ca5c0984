import { BadRequestError, ErrorCode } from './errors';
import { type FieldSpec, type FieldType, getter, type Getter } from './filter';

type Comparator = (a: unknown, b: unknown) => number;

interface Key {
  get: Getter;
  type: FieldType;
  descending: boolean;
  alphabetical: boolean;
}

function compareValues(a: unknown, b: unknown, key: Key): number {
  const aMissing = a === undefined || a === null;
  const bMissing = b === undefined || b === null;
  if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? 1 : -1;
  if (key.alphabetical || key.type === 'string' || key.type === 'date') {
    const x = String(a).toLowerCase();
    const y = String(b).toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (key.type === 'boolean') return (a === true ? 1 : 0) - (b === true ? 1 : 0);
  return (a as number) - (b as number);
}

/**
 * Parses `sort=a,-b,~c` (descending with `-`, alphabetical with `~`) into a comparator.
 * The resource's default sort key breaks ties.
 */
export function parseSort(sort: string | undefined, fields: FieldSpec, defaultSort: string): Comparator {
  const keys: Key[] = [];
  const specs = sort && sort.trim() !== '' ? sort.split(',') : [];
  for (const raw of specs) {
    let name = raw.trim();
    let descending = false;
    let alphabetical = false;
    while (name.startsWith('-') || name.startsWith('~')) {
      if (name[0] === '-') descending = true;
      else alphabetical = true;
      name = name.slice(1);
    }
    const type = fields[name];
    if (type === undefined) {
      throw new BadRequestError(
        `The property '${name}' is not sortable.`,
        `Sortable properties on this resource: ${Object.keys(fields).join(', ')}.`,
        ErrorCode.invalidSort,
      );
    }
    keys.push({ get: getter(name), type, descending, alphabetical });
  }
  keys.push({ get: getter(defaultSort), type: fields[defaultSort] ?? 'number', descending: false, alphabetical: false });
  return (a, b) => {
    for (const key of keys) {
      const c = compareValues(key.get(a), key.get(b), key);
      if (c !== 0) return key.descending ? -c : c;
    }
    return 0;
  };
}
