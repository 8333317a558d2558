import type { CodeableConcept, HumanName, Quantity } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import {
  UNKNOWN_LABEL,
  attachmentView,
  codeableConceptLabel,
  codeableConceptText,
  codingLabel,
  dateValue,
  formatHumanName,
  periodValue,
  preferredName,
  quantityValue,
  referenceDisplay,
} from '../../../fhir-mappings/src/index.ts';

const hostile = <T>(x: unknown): T => x as T;

describe('codeableConcept display', () => {
  it('prefers text, then a coding display, then a code', () => {
    expect(codeableConceptText({ text: 'Asthma', coding: [{ display: 'Asthma (disorder)' }] })).toBe('Asthma');
    expect(codeableConceptText({ coding: [{ code: '195967001' }, { display: 'Asthma (disorder)' }] })).toBe('Asthma (disorder)');
    expect(codeableConceptText({ coding: [{ system: 'http://snomed.info/sct', code: '195967001' }] })).toBe('195967001');
  });

  it('never returns empty, "undefined" or "[object Object]"', () => {
    for (const bad of [undefined, null, {}, { text: '' }, { text: '   ' }, { text: 'undefined' }, { coding: 'x' }, { coding: [null, 3, { display: {} }] }, { text: { a: 1 } }, 'Asthma', 7, []]) {
      expect(codeableConceptText(hostile<CodeableConcept>(bad))).toBeUndefined();
      expect(codeableConceptLabel(hostile<CodeableConcept>(bad))).toEqual(UNKNOWN_LABEL);
    }
    expect(codingLabel(hostile({ display: 12, code: 'A1' }))).toEqual({ kind: 'text', text: 'A1' });
  });
});

describe('names', () => {
  it('builds given + family + suffix, leaving honorific prefixes out', () => {
    expect(formatHumanName({ prefix: ['Mr.'], given: ['Juan', 'Carlos'], family: 'Pérez', suffix: ['Jr.'] })).toBe('Juan Carlos Pérez Jr.');
    expect(formatHumanName({ text: 'Baby Girl López' })).toBe('Baby Girl López');
    expect(formatHumanName(hostile<HumanName>({ given: 'Ana', family: 5 }))).toBeUndefined();
  });

  it('prefers official, then usual, then not-old names', () => {
    const names: HumanName[] = [{ use: 'old', family: 'Old' }, { use: 'nickname', given: ['Nick'] }, { use: 'usual', given: ['Usual'] }];
    expect(preferredName(names)?.given).toEqual(['Usual']);
    expect(preferredName([...names, { use: 'official', family: 'Official' }])?.family).toBe('Official');
    expect(preferredName([{ use: 'old', family: 'Old' }, { use: 'nickname', given: ['Nick'] }])?.given).toEqual(['Nick']);
    expect(preferredName(hostile('Ana'))).toBeUndefined();
  });
});

describe('dates, periods, quantities', () => {
  it('keeps partial dates partial and rejects malformed ones', () => {
    expect(dateValue('2019')).toEqual({ iso: '2019', precision: 'year' });
    expect(dateValue('2019-07')).toEqual({ iso: '2019-07', precision: 'month' });
    expect(dateValue('2019-07-04T10:15:00-07:00')).toEqual({ iso: '2019-07-04T10:15:00-07:00', precision: 'time' });
    for (const bad of ['2019-13', '2019-02-30', '19-07-04', '2019-07-04T25:00:00Z', '', 20190704, null, {}]) expect(dateValue(bad)).toBeUndefined();
    expect(periodValue(hostile({ start: 'yesterday', end: '2020-01-01' }))).toEqual({ end: { iso: '2020-01-01', precision: 'day' } });
  });

  it('keeps only finite quantity values, unit from unit else code', () => {
    expect(quantityValue({ value: 3.2, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' })).toEqual({ value: 3.2, unit: 'kg', ucum: 'kg' });
    expect(quantityValue({ value: 5, code: 'mg' })).toEqual({ value: 5, unit: 'mg' });
    expect(quantityValue({ value: 5, comparator: '<' })).toEqual({ value: 5, comparator: '<' });
    for (const bad of [{ value: '5' }, { value: Number.NaN }, { value: Infinity }, {}, null, 5]) expect(quantityValue(hostile<Quantity>(bad))).toBeUndefined();
  });
});

describe('attachments and references', () => {
  it('keeps http(s) and relative FHIR urls, drops other schemes, flags inline data', () => {
    expect(attachmentView({ contentType: 'application/pdf', url: 'Binary/abc', size: 1200, title: 'Discharge' })).toEqual({
      contentType: 'application/pdf', url: 'Binary/abc', size: 1200, title: 'Discharge', hasInlineData: false,
    });
    expect(attachmentView({ url: 'javascript:alert(1)', title: 'x' })).toEqual({ title: 'x', hasInlineData: false });
    expect(attachmentView({ url: 'https://ehr.example/Binary/1' })?.url).toBe('https://ehr.example/Binary/1');
    expect(attachmentView({ contentType: 'text/plain', data: 'SGk=' })).toEqual({ contentType: 'text/plain', hasInlineData: true });
    expect(attachmentView(hostile({ size: -3 }))).toBeUndefined();
    expect(referenceDisplay(hostile({ display: ['x'] }))).toBeUndefined();
  });
});
