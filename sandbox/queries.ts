/** Example operations printed by `npm start` and used by tests and benchmarks. */

/** The ticket-context query: everything an agent needs about a ticket's customer, in one request. */
export const TICKET_CONTEXT_QUERY = /* GraphQL */ `
  query TicketContext($id: ID!) {
    ticket(id: $id) {
      id
      subject
      status
      priority
      requester {
        id
        name
        email
      }
      customer {
        id
        name
        email
        orders(first: 5) {
          edges {
            node {
              id
              name
              state
              amountTotal {
                amount
                currencyCode
              }
              lines {
                product {
                  sku
                  name
                  qtyAvailable
                }
                quantity
                quantityDelivered
              }
              invoices {
                id
                number
                paymentState
                amountResidual {
                  amount
                  currencyCode
                }
              }
              deliveries {
                id
                name
                state
                trackingRef
              }
            }
          }
        }
        entitlements {
          product {
            name
          }
          tier
          startsOn
          endsOn
          active
        }
        salesforceAccount {
          id
          name
          owner {
            name
          }
          opportunities(open: true) {
            name
            stageName
          }
        }
      }
    }
  }
`;
