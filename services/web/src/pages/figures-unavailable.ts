import { FiguresUnavailableError } from '@quipu/commands';
import { AppError } from '@quipu/http';

/** How soon to ask again for figures that Redis could not serve (it restarts within seconds). */
const RETRY_AFTER_SECONDS = 30;

/** Runs a read of the figures, answering 503 with Retry-After while their rollups are out of reach. */
export async function figuresAvailable<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof FiguresUnavailableError)) throw error;
    throw new AppError({
      status: 503,
      code: 'figures_unavailable',
      title: 'Service unavailable',
      detail: `The figures are unavailable for a moment; try again in ${RETRY_AFTER_SECONDS} seconds.`,
      headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
    });
  }
}
