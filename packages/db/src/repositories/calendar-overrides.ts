import type { Models } from '../models/index.ts';

/** A decreed non-working day stored over the config calendars. */
export interface CalendarOverrideHoliday {
  date: string;
  name: string;
  nameEn?: string | undefined;
  law?: string | undefined;
  addedAt: Date;
  addedBy?: string | undefined;
}

export interface CalendarOverrideRecord {
  _id: string;
  holidays: CalendarOverrideHoliday[];
  updatedAt?: Date;
}

/** Calendar overrides: one small document per calendar, read whole. */
export function calendarOverrideRepository(models: Models) {
  const { CalendarOverride } = models;
  return {
    async list(): Promise<CalendarOverrideRecord[]> {
      return (await CalendarOverride.find({}).sort({ _id: 1 }).lean()) as unknown as CalendarOverrideRecord[];
    },
    /** Adds a one-off holiday once: false when that date is already decreed for the calendar. */
    async addHoliday(calendarId: string, holiday: CalendarOverrideHoliday): Promise<boolean> {
      await CalendarOverride.updateOne(
        { _id: calendarId },
        { $setOnInsert: { holidays: [] } },
        { upsert: true },
      );
      const result = await CalendarOverride.updateOne(
        { _id: calendarId, 'holidays.date': { $ne: holiday.date } },
        { $push: { holidays: { $each: [holiday] } } },
      );
      return result.modifiedCount === 1;
    },
  };
}
