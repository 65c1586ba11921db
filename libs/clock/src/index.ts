/**
 * @cadre-ledger/clock: the reactions that append, each through the one command path: the influence
 * clock (`InfluencePeriodEnded` on the day a lock ends), which follows the store from its own
 * checkpoint whoever projects the read models (the follow process, or Kafka consumer-group
 * replicas), and the 选人用人 conflict detector, which reacts to each projected batch.
 */
export { InfluenceClock, influencePeriodEventId, endedLocksAwaitingMark, lockEnds, CLOCK_ACTOR, INFLUENCE_PERIOD_NAMESPACE, type InfluenceClockOptions } from './influence-clock';
export { ClockFollower, startClock, clockMigrations, CLOCK_MIGRATIONS_NAMESPACE, CLOCK_CHECKPOINT, type ClockFollowerOptions, type ClockRuntime } from './clock-follower';
export { ConflictDetector, conflictReactions, conflictEventId, CONFLICT_ACTOR } from './conflict-detector';
