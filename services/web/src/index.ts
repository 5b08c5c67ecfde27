import type { Mount } from '@quipu/api';

export const mountWeb: Mount = () => {};
