export { describeEventStoreContract } from './describe-contract';
export type { ContractOptions, EventStoreContractFactory, EventStoreContractTarget } from './target';
export { newEvent, uniqueStream, arbitraryNewEvent, take, iterate, readAllUntil } from './fixtures';
