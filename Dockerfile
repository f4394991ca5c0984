# One multi-stage image per service: `docker build --build-arg APP=gateway .`
# (APP = gateway | invoicing | customers | inventory | economic-sandbox)
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS prune
ARG APP
WORKDIR /repo
RUN npm install -g turbo@2
COPY . .
# only the app and the workspace packages it depends on
RUN turbo prune @bogholder/${APP} --docker

FROM ${NODE_IMAGE} AS build
ARG APP
WORKDIR /repo
COPY --from=prune /repo/out/json/ .
RUN npm install --no-audit --no-fund
COPY --from=prune /repo/out/full/ .
RUN npx turbo run build --filter=@bogholder/${APP}
RUN npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ARG APP
ENV NODE_ENV=production HOST=0.0.0.0 APP=${APP}
WORKDIR /srv
COPY --from=build --chown=node:node /repo /srv
USER node
CMD ["sh", "-c", "exec node apps/${APP}/dist/main.js"]
