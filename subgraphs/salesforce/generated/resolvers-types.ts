import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { SalesforceAccountModel, SalesforceContactModel, OpportunityModel, SalesforceUserModel } from '../mappers';
import type { CustomerRepresentation, SalesforceContext } from '../resolvers';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  FieldSet: { input: unknown; output: unknown; }
  _Any: { input: unknown; output: unknown; }
  link__Import: { input: unknown; output: unknown; }
};

export type Customer = {
  __typename?: 'Customer';
  id: Scalars['ID']['output'];
  /** The customer's name as the ERP holds it, for matching an account by name (internal: not in the public API). */
  matchName: Scalars['String']['output'];
  /**
   * The customer's account in the CRM: the account whose external-id field holds the customer's ERP
   * id, else (where the tenant's matching rules allow it) the one account named exactly like the
   * customer that is not linked to another customer. Null when the CRM has none.
   */
  salesforceAccount?: Maybe<SalesforceAccount>;
};

/** An amount of money in one currency. */
export type Money = {
  __typename?: 'Money';
  /** The amount, in the currency's main unit (e.g. euros, not cents). Negative for money owed to the customer. */
  amount: Scalars['Float']['output'];
  /** The ISO 4217 currency code, e.g. `EUR`. `XXX` when the ERP gave the amount without a currency. */
  currencyCode: Scalars['String']['output'];
};

/** A potential or closed deal with an account. */
export type Opportunity = {
  __typename?: 'Opportunity';
  /** Expected or final value of the deal. */
  amount?: Maybe<Money>;
  /** Expected or actual close date (ISO-8601 date). */
  closeDate?: Maybe<Scalars['String']['output']>;
  /** Salesforce record id (18 characters). */
  id: Scalars['ID']['output'];
  /** Whether the deal is closed (won or lost). */
  isClosed: Scalars['Boolean']['output'];
  /** Whether the deal was won. */
  isWon: Scalars['Boolean']['output'];
  /** Name of the deal. */
  name: Scalars['String']['output'];
  /** The sales representative who owns the deal. */
  owner?: Maybe<SalesforceUser>;
  /** Likelihood of winning the deal, in percent (0 to 100). */
  probability?: Maybe<Scalars['Float']['output']>;
  /** Sales stage, as configured in the CRM (e.g. `Prospecting`, `Closed Won`). */
  stageName: Scalars['String']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** One account by its Salesforce id, or null when the CRM holds no such account. */
  salesforceAccount?: Maybe<SalesforceAccount>;
};


export type QuerySalesforceAccountArgs = {
  id: Scalars['ID']['input'];
};

/** A company the sales team deals with. */
export type SalesforceAccount = {
  __typename?: 'SalesforceAccount';
  /** The account's contact people, by name. */
  contacts: Array<SalesforceContact>;
  /** Salesforce record id (18 characters). */
  id: Scalars['ID']['output'];
  /** The company's industry, as configured in the CRM. */
  industry?: Maybe<Scalars['String']['output']>;
  /** Account name. */
  name: Scalars['String']['output'];
  /** The account's opportunities, latest close date first. */
  opportunities: Array<Opportunity>;
  /** The sales representative who owns the account. */
  owner?: Maybe<SalesforceUser>;
  /** The company's main phone number. */
  phone?: Maybe<Scalars['String']['output']>;
  /** How the company relates to the seller (e.g. `Customer - Direct`, `Prospect`), as configured in the CRM. */
  type?: Maybe<Scalars['String']['output']>;
  /** The company's web site. */
  website?: Maybe<Scalars['String']['output']>;
};


/** A company the sales team deals with. */
export type SalesforceAccountOpportunitiesArgs = {
  open?: InputMaybe<Scalars['Boolean']['input']>;
};

/** A person at an account. */
export type SalesforceContact = {
  __typename?: 'SalesforceContact';
  /** Email address. */
  email?: Maybe<Scalars['String']['output']>;
  /** Given name. */
  firstName?: Maybe<Scalars['String']['output']>;
  /** Salesforce record id (18 characters). */
  id: Scalars['ID']['output'];
  /** Family name. */
  lastName?: Maybe<Scalars['String']['output']>;
  /** Full name. */
  name: Scalars['String']['output'];
  /** Job title. */
  title?: Maybe<Scalars['String']['output']>;
};

/** A user of the CRM (a member of the sales team). */
export type SalesforceUser = {
  __typename?: 'SalesforceUser';
  /** Email address. */
  email?: Maybe<Scalars['String']['output']>;
  /** Salesforce record id (18 characters). */
  id: Scalars['ID']['output'];
  /** Full name. */
  name: Scalars['String']['output'];
};



export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = {
  Customer: Customer;
  SalesforceAccount: SalesforceAccount;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  Customer:
    ( { __typename: 'Customer' }
    & GraphQLRecursivePick<FederationTypes['Customer'], {"id":true}>
    & ( Record<PropertyKey, never>
        | GraphQLRecursivePick<FederationTypes['Customer'], {"matchName":true}> ) );
  SalesforceAccount:
    ( { __typename: 'SalesforceAccount' }
    & GraphQLRecursivePick<FederationTypes['SalesforceAccount'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  Customer: ResolverTypeWrapper<CustomerRepresentation>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  FieldSet: ResolverTypeWrapper<Scalars['FieldSet']['output']>;
  Money: ResolverTypeWrapper<Money>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  Opportunity: ResolverTypeWrapper<OpportunityModel>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  SalesforceAccount: ResolverTypeWrapper<SalesforceAccountModel>;
  SalesforceContact: ResolverTypeWrapper<SalesforceContactModel>;
  SalesforceUser: ResolverTypeWrapper<SalesforceUserModel>;
  _Any: ResolverTypeWrapper<Scalars['_Any']['output']>;
  link__Import: ResolverTypeWrapper<Scalars['link__Import']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Customer: CustomerRepresentation;
  ID: Scalars['ID']['output'];
  FieldSet: Scalars['FieldSet']['output'];
  Money: Money;
  Float: Scalars['Float']['output'];
  Opportunity: OpportunityModel;
  Query: Record<PropertyKey, never>;
  SalesforceAccount: SalesforceAccountModel;
  SalesforceContact: SalesforceContactModel;
  SalesforceUser: SalesforceUserModel;
  _Any: Scalars['_Any']['output'];
  link__Import: Scalars['link__Import']['output'];
  Int: Scalars['Int']['output'];
  Boolean: Scalars['Boolean']['output'];
  String: Scalars['String']['output'];
};

export type CostDirectiveArgs = {
  weight: Scalars['Int']['input'];
};

export type CostDirectiveResolver<Result, Parent, ContextType = SalesforceContext, Args = CostDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type InaccessibleDirectiveArgs = { };

export type InaccessibleDirectiveResolver<Result, Parent, ContextType = SalesforceContext, Args = InaccessibleDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type LinkDirectiveArgs = {
  import?: Maybe<Array<Maybe<Scalars['link__Import']['input']>>>;
  url: Scalars['String']['input'];
};

export type LinkDirectiveResolver<Result, Parent, ContextType = SalesforceContext, Args = LinkDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type ShareableDirectiveArgs = { };

export type ShareableDirectiveResolver<Result, Parent, ContextType = SalesforceContext, Args = ShareableDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type CustomerResolvers<ContextType = SalesforceContext, ParentType extends ResolversParentTypes['Customer'] = ResolversParentTypes['Customer'], FederationReferenceType extends FederationReferenceTypes['Customer'] = FederationReferenceTypes['Customer']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Customer']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  salesforceAccount?: Resolver<Maybe<ResolversTypes['SalesforceAccount']>, ParentType, ContextType>;
};

export interface FieldSetScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['FieldSet'], any> {
  name: 'FieldSet';
}

export type MoneyResolvers<ContextType = SalesforceContext, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = {
  amount?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  currencyCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type OpportunityResolvers<ContextType = SalesforceContext, ParentType extends ResolversParentTypes['Opportunity'] = ResolversParentTypes['Opportunity']> = {
  amount?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  closeDate?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  isClosed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  isWon?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  owner?: Resolver<Maybe<ResolversTypes['SalesforceUser']>, ParentType, ContextType>;
  probability?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  stageName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = SalesforceContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  salesforceAccount?: Resolver<Maybe<ResolversTypes['SalesforceAccount']>, ParentType, ContextType, RequireFields<QuerySalesforceAccountArgs, 'id'>>;
};

export type SalesforceAccountResolvers<ContextType = SalesforceContext, ParentType extends ResolversParentTypes['SalesforceAccount'] = ResolversParentTypes['SalesforceAccount'], FederationReferenceType extends FederationReferenceTypes['SalesforceAccount'] = FederationReferenceTypes['SalesforceAccount']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['SalesforceAccount']> | FederationReferenceType, FederationReferenceType, ContextType>;
  contacts?: Resolver<Array<ResolversTypes['SalesforceContact']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  industry?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  opportunities?: Resolver<Array<ResolversTypes['Opportunity']>, ParentType, ContextType, Partial<SalesforceAccountOpportunitiesArgs>>;
  owner?: Resolver<Maybe<ResolversTypes['SalesforceUser']>, ParentType, ContextType>;
  phone?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  type?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  website?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type SalesforceContactResolvers<ContextType = SalesforceContext, ParentType extends ResolversParentTypes['SalesforceContact'] = ResolversParentTypes['SalesforceContact']> = {
  email?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  firstName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  title?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type SalesforceUserResolvers<ContextType = SalesforceContext, ParentType extends ResolversParentTypes['SalesforceUser'] = ResolversParentTypes['SalesforceUser']> = {
  email?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export interface _AnyScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['_Any'], any> {
  name: '_Any';
}

export interface Link__ImportScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['link__Import'], any> {
  name: 'link__Import';
}

export type Resolvers<ContextType = SalesforceContext> = {
  Customer?: CustomerResolvers<ContextType>;
  FieldSet?: GraphQLScalarType;
  Money?: MoneyResolvers<ContextType>;
  Opportunity?: OpportunityResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  SalesforceAccount?: SalesforceAccountResolvers<ContextType>;
  SalesforceContact?: SalesforceContactResolvers<ContextType>;
  SalesforceUser?: SalesforceUserResolvers<ContextType>;
  _Any?: GraphQLScalarType;
  link__Import?: GraphQLScalarType;
};

export type DirectiveResolvers<ContextType = SalesforceContext> = {
  cost?: CostDirectiveResolver<any, any, ContextType>;
  inaccessible?: InaccessibleDirectiveResolver<any, any, ContextType>;
  link?: LinkDirectiveResolver<any, any, ContextType>;
  shareable?: ShareableDirectiveResolver<any, any, ContextType>;
};
