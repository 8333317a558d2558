/** "Ava María López" → "AL". Grapheme-safe for accented and non-Latin names; '' for an empty name. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter((word) => word !== '');
  const first = words[0];
  const last = words.length > 1 ? words[words.length - 1] : undefined;
  return [first, last]
    .filter((word): word is string => word !== undefined)
    .map((word) => firstGrapheme(word).toLocaleUpperCase())
    .join('');
}

function firstGrapheme(word: string): string {
  const segment = new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(word)[Symbol.iterator]().next();
  return segment.done ? '' : segment.value.segment;
}

/** A stable avatar hue for an id, so a child keeps their colour across visits (decorative only). */
export function avatarHue(id: string): number {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.codePointAt(0)!) % 360;
  return hash;
}
