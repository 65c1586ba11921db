import { cadreDeciderSpec, stubPolicy } from '../testing/decider-spec';
import { command, event, registered, retraction, type CommandData } from '../testing/builders';

const spec = cadreDeciderSpec(stubPolicy());

describe('RecordAnnualReview', () => {
  const review = (data: Partial<CommandData<'RecordAnnualReview'>> = {}, eventId = 'e-review') =>
    command('RecordAnnualReview', { year: 2020, grade: 'excellent', unfavourableVoteShare: 0.04, effectiveAt: '2021-01-20', ...data }, { eventId });
  const review2020 = event(
    'AnnualReviewRecorded',
    { year: 2020, grade: 'excellent', unfavourableVoteShare: 0.04 },
    { eventId: 'e-review-2020', effectiveAt: '2021-01-20' },
  );

  it('records AnnualReviewRecorded', () => {
    spec
      .given([registered()])
      .when(review())
      .then([
        event('AnnualReviewRecorded', { year: 2020, grade: 'excellent', unfavourableVoteShare: 0.04 }, { eventId: 'e-review', effectiveAt: '2021-01-20' }),
      ]);
  });

  it('records a review without a vote share', () => {
    spec
      .given([registered()])
      .when(command('RecordAnnualReview', { year: 2019, grade: 'basically-competent', effectiveAt: '2020-01-15' }, { eventId: 'e-review' }))
      .then([event('AnnualReviewRecorded', { year: 2019, grade: 'basically-competent' }, { eventId: 'e-review', effectiveAt: '2020-01-15' })]);
  });

  it('records a review decided within its own year', () => {
    spec
      .given([registered()])
      .when(review({ year: 2020, effectiveAt: '2020-12-31' }))
      .then([
        event('AnnualReviewRecorded', { year: 2020, grade: 'excellent', unfavourableVoteShare: 0.04 }, { eventId: 'e-review', effectiveAt: '2020-12-31' }),
      ]);
  });

  it('refuses a second review of the same year, naming the one that stands', () => {
    const error = spec
      .given([registered(), review2020])
      .when(review({ grade: 'competent' }))
      .thenThrows('annual-review-year-duplicate', 'conflict');
    expect(error.details.eventId).toBe('e-review-2020');
  });

  it('records another year beside an existing review', () => {
    spec
      .given([registered(), review2020])
      .when(review({ year: 2019, effectiveAt: '2020-01-15' }))
      .then([
        event('AnnualReviewRecorded', { year: 2019, grade: 'excellent', unfavourableVoteShare: 0.04 }, { eventId: 'e-review', effectiveAt: '2020-01-15' }),
      ]);
  });

  it('records the year again once its review is retracted', () => {
    spec
      .given([registered(), review2020, retraction('e-retraction', 'e-review-2020', '2021-02-01')])
      .when(review({ grade: 'competent', effectiveAt: '2021-02-03' }))
      .then([
        event('AnnualReviewRecorded', { year: 2020, grade: 'competent', unfavourableVoteShare: 0.04 }, { eventId: 'e-review', effectiveAt: '2021-02-03' }),
      ]);
  });

  it('refuses a review whose year begins after its effective date', () => {
    spec
      .given([registered()])
      .when(review({ year: 2021, effectiveAt: '2020-12-31' }))
      .thenThrows('review-year-after-decision', 'unprocessable');
  });

  it.each([-0.01, 1.01, Number.NaN])('refuses the vote share %p', (unfavourableVoteShare) => {
    spec.given([registered()]).when(review({ unfavourableVoteShare })).thenThrows('invalid-vote-share', 'invalid');
  });

  it.each([0, 1])('accepts the vote share %p', (unfavourableVoteShare) => {
    spec
      .given([registered()])
      .when(review({ unfavourableVoteShare }))
      .then([event('AnnualReviewRecorded', { year: 2020, grade: 'excellent', unfavourableVoteShare }, { eventId: 'e-review', effectiveAt: '2021-01-20' })]);
  });

  it.each([1948, 2019.5])('refuses the year %p', (year) => {
    spec.given([registered()]).when(review({ year })).thenThrows('invalid-review-year', 'invalid');
  });

  it('refuses an effective date later than today', () => {
    spec.given([registered()]).when(review({ year: 2021, effectiveAt: '2021-07-01' })).thenThrows('effective-date-in-future', 'unprocessable');
  });
});

describe('IssueCommendation', () => {
  const commend = (effectiveAt: string) =>
    command(
      'IssueCommendation',
      { level: 'provincial', kind: 'merit-second-class', title: '陕西省脱贫攻坚先进个人', effectiveAt },
      { eventId: 'e-commendation', documentRef: '陕政发〔2021〕3号' },
    );

  it('records CommendationIssued', () => {
    spec
      .given([registered()])
      .when(commend('2021-02-25'))
      .then([
        event(
          'CommendationIssued',
          { level: 'provincial', kind: 'merit-second-class', title: '陕西省脱贫攻坚先进个人' },
          { eventId: 'e-commendation', effectiveAt: '2021-02-25', documentRef: '陕政发〔2021〕3号' },
        ),
      ]);
  });

  it('refuses an effective date later than today', () => {
    spec.given([registered()]).when(commend('2021-12-25')).thenThrows('effective-date-in-future', 'unprocessable');
  });
});
