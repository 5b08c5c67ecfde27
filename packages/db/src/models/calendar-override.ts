import { type InferSchemaType, Schema } from 'mongoose';

/**
 * Non-working days an administrator decrees at run time (a public-sector holiday announced by
 * decree, a regional day), merged over `config/calendars/<id>.json`. One document per calendar,
 * `_id` = calendar id, so reading every override is one small query.
 */
export const calendarOverrideSchema = new Schema(
  {
    _id: { type: String, required: true },
    holidays: {
      type: [
        new Schema(
          {
            date: { type: String, required: true }, // YYYY-MM-DD in the calendar's zone
            name: { type: String, required: true },
            nameEn: { type: String },
            law: { type: String },
            addedAt: { type: Date, required: true },
            addedBy: { type: String },
          },
          { _id: false },
        ),
      ],
      default: [],
    },
  },
  { timestamps: true, minimize: false },
);

export type CalendarOverrideDoc = InferSchemaType<typeof calendarOverrideSchema>;
