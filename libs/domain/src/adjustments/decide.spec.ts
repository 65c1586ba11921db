import { cadreDeciderSpec, stubPolicy } from '../testing/decider-spec';
import { bureauChief, command, deputyBureauChief, event, registered, researcher, type CommandData } from '../testing/builders';

const spec = cadreDeciderSpec(stubPolicy());

type AdjustData = CommandData<'AdjustCadre'>;
const adjust = (data: AdjustData) => command('AdjustCadre', data, { eventId: 'e-adjusted', documentRef: '宁组干〔2020〕8号' });
const adjusted = (data: Omit<AdjustData, 'effectiveAt'>, effectiveAt = '2020-06-01') =>
  event('CadreAdjusted', data, { eventId: 'e-adjusted', effectiveAt, documentRef: '宁组干〔2020〕8号' });

const otherBureau = { ...bureauChief, title: '宁陕县统计局局长', principal: true };

describe('AdjustCadre: 能下', () => {
  it('records a transfer-out (调离岗位) with the new post', () => {
    spec
      .given([registered()])
      .when(adjust({ kind: 'transfer-out', newPosition: otherBureau, effectiveAt: '2020-06-01' }))
      .then([adjusted({ kind: 'transfer-out', newPosition: otherBureau })]);
  });

  it('records a change to a non-leadership post (改任非领导职务) and the trigger that prompted it', () => {
    spec
      .given([registered()])
      .when(adjust({ kind: 'non-leadership', newPosition: researcher, trigger: 'annual-review', effectiveAt: '2020-06-01' }))
      .then([adjusted({ kind: 'non-leadership', newPosition: researcher, trigger: 'annual-review' })]);
  });

  it('records a removal (免职) without a post', () => {
    spec
      .given([registered()])
      .when(adjust({ kind: 'removal', trigger: 'dismissal-review', effectiveAt: '2020-06-01' }))
      .then([adjusted({ kind: 'removal', trigger: 'dismissal-review' })]);
  });

  it('records a demotion (降职) with the lower post', () => {
    spec
      .given([registered()])
      .when(adjust({ kind: 'demotion', newPosition: deputyBureauChief, trigger: 'demote-one-level', effectiveAt: '2020-06-01' }))
      .then([adjusted({ kind: 'demotion', newPosition: deputyBureauChief, trigger: 'demote-one-level' })]);
  });

  it('refuses a removal that names a new post', () => {
    spec
      .given([registered()])
      .when(adjust({ kind: 'removal', newPosition: researcher, effectiveAt: '2020-06-01' }))
      .thenThrows('removal-with-position', 'unprocessable');
  });

  it('refuses a non-leadership adjustment to a leadership post', () => {
    spec
      .given([registered()])
      .when(adjust({ kind: 'non-leadership', newPosition: deputyBureauChief, effectiveAt: '2020-06-01' }))
      .thenThrows('non-leadership-position-is-leading', 'unprocessable');
  });

  it('refuses an effective date later than today', () => {
    spec
      .given([registered()])
      .when(adjust({ kind: 'demotion', newPosition: deputyBureauChief, effectiveAt: '2021-07-01' }))
      .thenThrows('effective-date-in-future', 'unprocessable');
  });

  it('refuses a note longer than 2000 characters', () => {
    spec
      .given([registered()])
      .when(adjust({ kind: 'removal', note: '因违反中央八项规定精神受到处分，'.repeat(126), effectiveAt: '2020-06-01' }))
      .thenThrows('note-too-long', 'invalid');
  });
});
