# syntax=docker/dockerfile:1
# flexchat in one image: the token service and the widget origin's static files
# (loader.js, the iframe app) with the security headers generated from the
# deployment config. See README.md, "Deploying".
#
#   docker build -t flexchat \
#     --build-arg FLEXCHAT_WIDGET_ORIGIN=https://chat.example.com \
#     --build-arg FLEXCHAT_TOKEN_URL=https://chat.example.com \
#     --build-arg FLEXCHAT_ALLOWED_DOMAINS=https://www.example.com .
#   docker run -p 8080:8080 --env-file server/.env flexchat
#
# scripts/check-dist.ts (npm run test:dist, run by CI) runs this file's runtime
# stage outside Docker: the same production install, ENV, CMD and HEALTHCHECK.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# The loader and the widget bake the deployment config in at build time.
ARG FLEXCHAT_CONFIG
ARG FLEXCHAT_WIDGET_ORIGIN
ARG FLEXCHAT_TOKEN_URL
ARG FLEXCHAT_ALLOWED_DOMAINS
ARG FLEXCHAT_PREVIEW_ORIGINS
RUN npm run build

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production FLEXCHAT_TOKEN_HOST=0.0.0.0 FLEXCHAT_TOKEN_PORT=8080 FLEXCHAT_WIDGET_ROOT=dist/widget
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist/server ./dist/server
COPY --from=build /app/dist/widget ./dist/widget
COPY --from=build /app/dist/deploy ./dist/deploy
USER node
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.FLEXCHAT_TOKEN_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/server/server/src/main.js"]
