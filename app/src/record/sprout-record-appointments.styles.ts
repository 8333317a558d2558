import { recordSectionStyles } from './record-section.styles.ts';

export const recordAppointmentsStyles = [recordSectionStyles];
