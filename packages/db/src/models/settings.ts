import { Schema } from 'mongoose';

/** Settings admins change at run time (routing rules), overriding the files in config/. */
export const settingSchema = new Schema(
  {
    _id: { type: String, required: true },
    value: { type: Schema.Types.Mixed, required: true },
    updatedBy: { type: String },
  },
  { timestamps: true, minimize: false },
);
