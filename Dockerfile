# One image for every role; the command picks it:
#   gateway:    node dist/gateway/main.js
#   subgraph:   node dist/subgraphs/main.js odoo|salesforce|zendesk
#   sandbox:    node dist/sandbox/serve.js        (emulators, for trying it out; never in production)
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY gateway gateway
COPY subgraphs subgraphs
COPY schema schema
COPY cache cache
COPY tenancy tenancy
COPY platform platform
COPY actions actions
COPY sandbox sandbox
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/package.json package.json
# Files read at run time next to the compiled code: subgraph schemas, the supergraph, tenant registries.
COPY --from=build /app/subgraphs dist/subgraphs-src
RUN for s in odoo salesforce zendesk; do cp dist/subgraphs-src/$s/schema.graphql dist/subgraphs/$s/schema.graphql; done \
 && rm -rf dist/subgraphs-src
COPY schema/supergraph.graphql dist/schema/supergraph.graphql
COPY tenancy/*.json dist/tenancy/
COPY actions/migrations dist/actions/migrations
USER node
EXPOSE 4000
CMD ["node", "dist/gateway/main.js"]
