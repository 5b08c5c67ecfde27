# syntax=docker/dockerfile:1
# Multi-stage: install production dependencies once, ship sources (TypeScript runs under
# Node 24's native type stripping, so there is no build step) on a slim image as `node`.
FROM node:24-bookworm-slim AS deps
WORKDIR /app
RUN npm install -g pnpm@12.4.2
COPY . .
RUN pnpm install --frozen-lockfile --prod

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps --chown=node:node /app /app
USER node
EXPOSE 3000
CMD ["node", "services/cli/bin/quipu.js", "serve"]
