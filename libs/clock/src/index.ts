/**
 * @cadre-ledger/clock: the influence clock (`InfluencePeriodEnded` on the day a lock ends), a
 * module of its own that follows the store from its own checkpoint, whoever projects the read
 * models (the follow process, or Kafka consumer-group replicas).
 */
export { InfluenceClock, influencePeriodEventId, endedLocksAwaitingMark, lockEnds, CLOCK_ACTOR, INFLUENCE_PERIOD_NAMESPACE, type InfluenceClockOptions } from './influence-clock';
export { ClockFollower, startClock, clockMigrations, CLOCK_MIGRATIONS_NAMESPACE, CLOCK_CHECKPOINT, type ClockFollowerOptions, type ClockRuntime } from './clock-follower';
