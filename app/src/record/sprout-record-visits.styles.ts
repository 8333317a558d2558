import { recordSectionStyles } from './record-section.styles.ts';

export const recordVisitsStyles = [recordSectionStyles];
