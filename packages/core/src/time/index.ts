/**
 * Business calendars and business-time arithmetic. Pure: instants are UTC `Date`s, the walk
 * happens in each calendar's IANA zone, and nothing here reads the clock or the disk.
 * Counting rules: see README.md next to this file.
 */
export {
  addBusinessDayFraction,
  addBusinessDays,
  addBusinessTime,
  type BusinessDayOptions,
  type BusinessDayWindow,
  businessDayFractionBetween,
  businessDaysBetween,
  businessDayWindow,
  businessTimeBetween,
  type ClosedDay,
  closingOfDay,
  type DayFractionTarget,
  type HolidayOccurrence,
  holidaysBetween,
  isBusinessDay,
  isBusinessInstant,
  localDateOf,
  nextOpening,
  nonBusinessDaysBetween,
} from './business-time.ts';
export {
  type Calendar,
  type CalendarDescriptor,
  CalendarError,
  type CalendarIssue,
  calendarFromDescriptor,
  type EasterHolidayDescriptor,
  type FixedHolidayDescriptor,
  type HolidayDescriptor,
  type HolidayRule,
  type HolidayRuleCommon,
  holidaysOfYear,
  type OneOffHolidayDescriptor,
  type OpeningInterval,
  resolveCalendars,
  validateCalendarDescriptor,
  WEEKDAY_KEYS,
  type WeekdayKey,
  withExtraHolidays,
} from './calendar.ts';
export { easterEpochDay, easterSunday } from './easter.ts';
export { isValidTimeZone, localToUtc, zoneOffsetMs } from './zone.ts';
