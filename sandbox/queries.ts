/** Example operations printed by `npm start` and used by tests and benchmarks. */

/**
 * The ticket-context query: everything an agent needs about a ticket's customer, in one request.
 * An agent sees how invoices stand (payment state, due, overdue), never their amounts: those add up
 * to the finance-only open balance (README "Derived values").
 */
export const TICKET_CONTEXT_QUERY = /* GraphQL */ `
  query TicketContext($id: ID!) {
    ticket(id: $id) {
      id
      subject
      status
      priority
      sla {
        source
        policy
        firstResponseDueAt
        resolutionDueAt
        breached
      }
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
              invoiceStatus
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
                dueDate
                overdue
              }
              fulfilment {
                quantityOrdered
                quantityDelivered
                quantityInvoiced
                nextMilestone
              }
              deliveries {
                id
                name
                state
                trackingRef
                exceptions {
                  kind
                  message
                }
              }
            }
          }
        }
        supportStatus {
          entitled
          tier
          sla {
            firstResponseHours
            resolutionHours
          }
          paymentStanding
          reasons
        }
        entitlements {
          product {
            name
          }
          tier
          startsOn
          endsOn
          active
          renewalStatus
          paymentStanding
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
