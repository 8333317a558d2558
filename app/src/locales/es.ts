/// <reference types="vite/client" />
/**
 * Spanish templates for @lit/localize (runtime mode), merged from one module per UI area:
 * every app/src/locales/es/<area>.ts that exports `templates` is picked up here automatically (Vite's
 * import.meta.glob, resolved at build time), so a new area needs no edit to this file. See README.md.
 *
 * An id defined in two areas is a bug (one of the two translations would silently win): the merge keeps the
 * first, reports the clash on the console, and the shell's browser test fails on it.
 */
import type { TemplateLike, TemplateMap } from '@lit/localize';

interface AreaModule {
  readonly templates: Readonly<Record<string, TemplateLike>>;
}

const areas = import.meta.glob<AreaModule>('./es/*.ts', { eager: true });

/** Ids defined by more than one area module (empty when the catalogue is sound). */
export const duplicateIds: string[] = [];

function mergeAreas(modules: Readonly<Record<string, AreaModule>>): TemplateMap {
  const merged: Record<string, TemplateLike> = {};
  for (const path of Object.keys(modules).sort()) {
    const area = modules[path];
    if (!area?.templates) continue;
    for (const [id, template] of Object.entries(area.templates)) {
      if (id in merged) {
        duplicateIds.push(id);
        console.error(`Spanish message id "${id}" is defined twice (second time in ${path}); the first wins.`);
        continue;
      }
      merged[id] = template;
    }
  }
  return merged;
}

export const templates: TemplateMap = mergeAreas(areas);
