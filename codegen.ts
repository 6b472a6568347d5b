/**
 * `npm run codegen`: resolver types generated from each subgraph's schema.graphql
 * (graphql-codegen typescript-resolvers), so a resolver that drifts from its schema is a type error,
 * not a test failure. The parent objects are each subgraph's own shapes (`mappers`). The generated
 * files are committed; test/repo/codegen.test.ts fails when one is stale.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

type Mappers = Record<string, string>;

const subgraph = (name: string, context: string, mappers: Mappers): CodegenConfig['generates'] => ({
  [`subgraphs/${name}/generated/resolvers-types.ts`]: {
    schema: ['schema/federation-directives.graphql', `subgraphs/${name}/schema.graphql`],
    plugins: ['typescript', 'typescript-resolvers'],
    config: {
      federation: true,
      useTypeImports: true,
      enumsAsTypes: true,
      avoidOptionals: false,
      contextType: `../resolvers#${context}`,
      mappers,
      scalars: { Date: 'string', DateTime: 'string' },
    },
  },
});

const config: CodegenConfig = {
  overwrite: true,
  generates: {
    ...subgraph('odoo', 'OdooContext', {
      Customer: '../mappers#CustomerShape',
      Order: '../mappers#OrderShape',
      OrderLine: '../mappers#OrderLineShape',
      Invoice: '../mappers#InvoiceShape',
      Delivery: '../mappers#DeliveryShape',
      DeliveryMove: '../mappers#DeliveryMoveShape',
      DeliveryException: '../fulfilment#DeliveryException as DeliveryExceptionShape',
      OrderFulfilment: '../fulfilment#OrderFulfilment as OrderFulfilmentShape',
      Product: '../mappers#ProductShape',
      Entitlement: '../service#EntitlementStanding',
      SupportStatus: '../service#SupportStatus as SupportStatusShape',
      CompanyBalance: '../resolvers#CompanyBalanceShape',
      Ticket: '../resolvers#TicketReference',
      Action: '../../../actions/types#ActionRecord',
      ActionPayload: '../../../actions/pipeline#ActionPayload as ActionPayloadShape',
      UserError: '../../../actions/pipeline#ActionUserError',
    }),
    ...subgraph('zendesk', 'ZendeskContext', {
      Ticket: '../mappers#TicketModel',
      SupportUser: '../mappers#SupportUserModel',
      Organization: '../mappers#OrganizationModel',
      TicketComment: '../mappers#CommentModel',
      ZendeskSla: '../sla#ZendeskSlaView',
      Customer: '../resolvers#CustomerReference',
      Action: '../../../actions/types#ActionRecord',
      ActionPayload: '../../../actions/pipeline#ActionPayload as ActionPayloadShape',
      UserError: '../../../actions/pipeline#ActionUserError',
    }),
    ...subgraph('salesforce', 'SalesforceContext', {
      SalesforceAccount: '../mappers#SalesforceAccountModel',
      SalesforceContact: '../mappers#SalesforceContactModel',
      Opportunity: '../mappers#OpportunityModel',
      SalesforceUser: '../mappers#SalesforceUserModel',
      Customer: '../resolvers#CustomerRepresentation',
    }),
  },
};

export default config;
