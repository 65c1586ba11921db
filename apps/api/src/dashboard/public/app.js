/*
 * The cadre-ledger dashboard: one page, no build step, no network but this server. It asks
 * /v1/me what the token may read and asks for nothing else: the dashboard role gets figures
 * (suppressed where small), never a name. Every figure comes from the API (API.md, "Lists a
 * dashboard needs"); charts by ECharts, served by this server from its npm package.
 */
'use strict';
(function dashboard() {
  const TOKEN_KEY = 'cadre-ledger-token';
  const view = () => document.getElementById('view');
  const charts = [];
  let me = null;

  const esc = (value) => String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const token = () => sessionStorage.getItem(TOKEN_KEY);

  class ApiError extends Error {
    constructor(status, problem) {
      super(problem && problem.detail ? problem.detail : `HTTP ${status}`);
      this.status = status;
    }
  }

  async function api(path) {
    const res = await fetch(path, { headers: { Authorization: `Bearer ${token()}`, Accept: 'application/json' } });
    const body = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
    if (res.status === 401) {
      logout('令牌无效或已过期,请重新登录。');
      throw new ApiError(401, body);
    }
    if (!res.ok) throw new ApiError(res.status, body);
    return body;
  }

  // ---- labels -------------------------------------------------------------------------------
  const FIGURES = [
    ['incentive', '鼓励激励(人)'],
    ['tolerance', '容错纠错(人)'],
    ['adjustment', '能上能下:调整(人)'],
    ['locksActive', '影响期中'],
    ['locksEndingWithin30Days', '30天内影响期届满'],
    ['locksEndingWithin90Days', '90天内影响期届满'],
    ['openReviewTriggers', '待研究的调整情形'],
    ['pendingToleranceCases', '办理中的容错案件'],
    ['pendingAdjustmentCases', '办理中的调整案件'],
    ['conflicts', '影响期内提拔(选人用人检查)'],
  ];
  const MECHANISMS = [
    ['incentive', '鼓励激励'],
    ['tolerance', '容错纠错'],
    ['adjustment', '能上能下'],
  ];
  const EFFECTS = { lock: '影响期', priority: '优先情形', 'review-trigger': '调整情形', condition: '提拔条件', benefit: '激励措施' };
  const EFFECT_COLOURS = { lock: '#a00000', priority: '#1f6f1f', 'review-trigger': '#b05a00', condition: '#4b4b9a', benefit: '#00707a' };
  // Served by the API from its own label tables (labels.js).
  const LABELS = window.LEDGER_LABELS || { eventType: {}, lockKind: {}, positionLevel: {}, steps: { tolerance: {}, adjustment: {} } };
  // What an open case waits for at each step, from each procedure's own description.
  const STEPS = LABELS.steps;
  const EVENT_TYPES = LABELS.eventType;
  const kindOf = (effect, kind) => (effect === 'lock' && LABELS.lockKind[kind]) || kind;

  /** A figure, or what stands in for a suppressed one (the dashboard role: too few to show). */
  const figure = (value) => (value === null || value === undefined ? '<span class="suppressed">数量较少,不予显示</span>' : esc(value));
  const cite = (c) => (c ? `《${c.document}》${c.article}` : '');

  function table(caption, head, rows, empty = '无') {
    const body = rows.length === 0 ? `<tr><td colspan="${head.length}">${esc(empty)}</td></tr>` : rows.map((r) => `<tr>${r.map((cell) => `<td${typeof cell === 'number' ? ' class="num"' : ''}>${typeof cell === 'object' && cell && 'html' in cell ? cell.html : esc(cell)}</td>`).join('')}</tr>`).join('');
    return `<table><caption>${esc(caption)}</caption><thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>`;
  }

  function chart(element, option) {
    if (!window.echarts) return;
    const instance = window.echarts.init(element, null, { renderer: 'canvas' });
    instance.setOption({ aria: { enabled: true }, textStyle: { fontFamily: 'Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif' }, animation: false, ...option });
    charts.push(instance);
  }

  function disposeCharts() {
    while (charts.length > 0) charts.pop().dispose();
  }

  // ---- login --------------------------------------------------------------------------------
  function logout(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    me = null;
    document.getElementById('nav').hidden = true;
    document.getElementById('login').hidden = false;
    document.getElementById('login-error').textContent = message || '';
    disposeCharts();
    view().innerHTML = '';
  }

  async function login(value) {
    sessionStorage.setItem(TOKEN_KEY, value.trim());
    try {
      me = await api('/v1/me');
    } catch (error) {
      if (error.status !== 401) logout(`无法登录:${error.message}`);
      return false;
    }
    document.getElementById('login').hidden = true;
    document.getElementById('nav').hidden = false;
    document.getElementById('nav-cadres').hidden = !me.may.cadres;
    document.getElementById('who').textContent = `${me.sub}(${me.roles.join('、')})`;
    return true;
  }

  // ---- overview -----------------------------------------------------------------------------
  async function overview(params) {
    if (!me.may.stats) {
      view().innerHTML = '<h1>待办与到期</h1><div id="queues"></div>';
      return queues(document.getElementById('queues'));
    }
    const thisYear = Number(today().slice(0, 4));
    let year = /^\d{4}$/.test(params.get('year') || '') ? Number(params.get('year')) : null;
    if (year === null) {
      // The latest year with anything to show (records often lag a year behind the calendar).
      const probe = await api(`/v1/stats/mechanisms?from=${thisYear - 9}&to=${thisYear}`);
      const active = probe.totals.filter((t) => MECHANISMS.some(([key]) => t[key])).map((t) => t.year);
      year = active.length > 0 ? Math.max(...active) : thisYear;
    }
    const [stats, series] = await Promise.all([api(`/v1/stats?year=${year}`), api(`/v1/stats/mechanisms?from=${year - 4}&to=${year}`)]);
    const years = Array.from({ length: 10 }, (_, i) => thisYear - i);
    const units = series.byUnit.filter((row) => row.year === year);
    view().innerHTML = `
      <h1>三项机制概览</h1>
      <form class="toolbar" id="year-form"><div><label for="year">年度</label>
        <select id="year" name="year">${years.map((y) => `<option value="${y}"${y === year ? ' selected' : ''}>${y}年</option>`).join('')}</select></div></form>
      ${stats.suppressed && stats.suppressed.length > 0 ? '<p class="hint">部分数字少于公布门槛,为保护个人信息不予显示。</p>' : ''}
      <ul class="cards" id="figures">${FIGURES.map(([key, label]) => `<li class="card" data-figure="${key}"><span class="figure">${figure(stats[key])}</span><span class="label">${esc(label)}</span></li>`).join('')}</ul>
      <h2>近五年三项机制人数</h2>
      <div class="chart" id="chart-years" role="img" aria-label="近五年鼓励激励、容错纠错、能上能下人数柱状图,数据见下表"></div>
      ${table(`${year - 4}–${year}年三项机制人数`, ['年度', ...MECHANISMS.map(([, l]) => `${l}(人)`)], series.totals.map((t) => [String(t.year), ...MECHANISMS.map(([k]) => (t[k] === null ? { html: figure(null) } : t[k]))]))}
      <h2>${year}年各单位三项机制人数</h2>
      <div class="chart" id="chart-units" role="img" aria-label="${year}年各单位三项机制人数柱状图,数据见下表"></div>
      ${table(`${year}年各单位`, ['单位', ...MECHANISMS.map(([, l]) => `${l}(人)`)], units.map((u) => [u.unitName ? `${u.unitName}(${u.unitId})` : u.unitId, ...MECHANISMS.map(([k]) => (u[k] === null ? { html: figure(null) } : u[k]))]), '本年度没有记录')}
      <h2>案件办理进度</h2>
      <div class="grid2">
        ${table('容错纠错案件(按已完成的步骤)', ['步骤', '件数'], Object.entries(STEPS.tolerance).map(([step, label]) => [label, stats.toleranceCasesByStep[step] === null ? { html: figure(null) } : stats.toleranceCasesByStep[step]]))}
        ${table('第十五条调整案件(按已完成的步骤)', ['步骤', '件数'], Object.entries(STEPS.adjustment).map(([step, label]) => [label, stats.adjustmentCasesByStep[step] === null ? { html: figure(null) } : stats.adjustmentCasesByStep[step]]))}
      </div>
      <div id="queues"></div>`;
    document.getElementById('year').addEventListener('change', (e) => {
      location.hash = `#/?year=${e.target.value}`;
    });
    const numbers = (rows, key) => rows.map((r) => r[key]);
    chart(document.getElementById('chart-years'), {
      legend: { top: 4 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: series.totals.map((t) => `${t.year}`) },
      yAxis: { type: 'value', name: '人', minInterval: 1 },
      series: MECHANISMS.map(([key, label]) => ({ name: label, type: 'bar', data: numbers(series.totals, key) })),
    });
    chart(document.getElementById('chart-units'), {
      legend: { top: 4 },
      tooltip: { trigger: 'axis' },
      grid: { left: 160 },
      yAxis: { type: 'category', data: units.map((u) => u.unitName || u.unitId) },
      xAxis: { type: 'value', name: '人', minInterval: 1 },
      series: MECHANISMS.map(([key, label]) => ({ name: label, type: 'bar', data: numbers(units, key) })),
    });
    if (me.may.queues) await queues(document.getElementById('queues'));
  }

  /** The lists with names: only for roles that may read them (the dashboard role never asks). */
  async function queues(element) {
    const [in30, in90, triggers, cases] = await Promise.all([
      api('/v1/locks?endingWithin=30&limit=100'),
      api('/v1/locks?endingWithin=90&limit=100'),
      api('/v1/review-triggers?limit=100'),
      api('/v1/cases?limit=100'),
    ]);
    const person = (item) => ({ html: me.may.history ? `<a href="#/cadre/${encodeURIComponent(item.cadreId)}">${esc(item.name || item.cadreId)}</a>` : esc(item.name || item.cadreId) });
    const clause = (c) => ({ html: c ? `<span title="${esc(c.text)}">${esc(cite(c))}</span>` : '' });
    const lockRows = (page) => page.items.map((l) => [person(l), l.unitId, kindOf('lock', l.kind), l.until || '未定', clause(l.citation)]);
    const caseStep = (c) => (STEPS[c.kind] && STEPS[c.kind][c.step]) || c.step;
    element.innerHTML = `
      <h2>影响期即将届满</h2>
      <div class="grid2">
        ${table('30天内届满', ['干部', '单位', '种类', '届满日(不含)', '依据'], lockRows(in30))}
        ${table('90天内届满', ['干部', '单位', '种类', '届满日(不含)', '依据'], lockRows(in90))}
      </div>
      <h2>待研究的调整情形</h2>
      ${table('调整情形(能下)', ['干部', '单位', '情形', '自', '依据'], triggers.items.map((t) => [person(t), t.unitId, t.kind, t.since, clause(t.citation)]))}
      <h2>办理中的案件</h2>
      ${table('容错纠错与调整案件(等待最久的在前)', ['干部', '单位', '类别', '案件', '进度', '等待天数'], cases.items.map((c) => [person(c), c.unitId, c.kind === 'tolerance' ? '容错纠错' : '调整(第十五条)', c.caseId, caseStep(c), c.daysWaiting]))}`;
  }

  // ---- cadres -------------------------------------------------------------------------------
  async function cadres(params) {
    const q = params.get('q') || '';
    const page = q ? await api(`/v1/cadres?q=${encodeURIComponent(q)}&limit=50`) : { items: [] };
    view().innerHTML = `
      <h1>干部查询</h1>
      <form class="toolbar" id="search"><div><label for="q">姓名、拼音首字母或干部编号</label>
        <input id="q" name="q" value="${esc(q)}" maxlength="100"></div><button type="submit">查询</button></form>
      ${q ? table(`“${q}”的查询结果`, ['干部', '编号', '单位', '职务'], page.items.map((c) => [{ html: `<a href="#/cadre/${encodeURIComponent(c.cadreId)}">${esc(c.name)}</a>` }, c.cadreId, c.unitId, c.position ? c.position.title : '']), '没有找到') : ''}`;
    document.getElementById('search').addEventListener('submit', (e) => {
      e.preventDefault();
      location.hash = `#/cadres?q=${encodeURIComponent(document.getElementById('q').value.trim())}`;
    });
  }

  /** One cadre: facts and, on the same date axis, each lock, priority, trigger and condition as a bar. */
  async function cadre(cadreId, params) {
    const history = await api(`/v1/cadres/${encodeURIComponent(cadreId)}/history`);
    const moments = [...new Set(history.events.map((e) => e.recordedAt))].sort();
    const asked = params.get('knownAt');
    const knownAt = asked && moments.includes(asked) ? asked : null;
    const query = knownAt ? `?knownAt=${encodeURIComponent(knownAt)}` : '';
    const [profile, replay] = await Promise.all([api(`/v1/cadres/${encodeURIComponent(cadreId)}`).catch(() => null), api(`/v1/cadres/${encodeURIComponent(cadreId)}/timeline${query}`)]);
    const verdict = replay.verdict;
    const effects = replay.timeline.flatMap((entry) => entry.effects.map((e) => ({ ...e, source: entry })));
    const index = knownAt ? moments.indexOf(knownAt) : moments.length - 1;
    view().innerHTML = `
      <h1>${esc(profile ? profile.name : cadreId)}<span class="hint">(${esc(cadreId)}${profile ? `,${esc(profile.unitId)},${esc(profile.position ? profile.position.title : '')}` : ''})</span></h1>
      <form class="toolbar knownat" id="knownat-form">
        <div><label for="knownat">记录截至(看当时记录的样子):<output id="knownat-value" for="knownat">${esc(knownAt || '现在')}</output></label>
        <input type="range" id="knownat" min="0" max="${moments.length - 1}" step="1" value="${index}" aria-valuetext="${esc(knownAt || '现在')}"></div>
        <button type="button" id="knownat-now">现在</button>
      </form>
      <div class="verdict ${verdict.promotable ? '' : 'locked'}" id="verdict">
        <strong>${knownAt ? '按当时的记录,' : ''}${verdict.promotable ? '截至今日可以提名' : '截至今日不得提拔'}</strong>
        <p class="cite">依据截至 ${esc(replay.knownAt)} 的记录,${esc(replay.asOf)} 已生效的事实;共 ${replay.timeline.length} 项事实${replay.laterFacts ? `(另有 ${replay.laterFacts} 项以后生效)` : ''}。</p>
        ${verdict.locks.map((l) => `<p>影响期:${esc(kindOf('lock', l.kind))},${esc(l.from)} 至 ${esc(l.until || '未定')}(不含)<br><span class="cite">${esc(cite(l.citation))}</span><blockquote>${esc(l.citation.text)}</blockquote></p>`).join('')}
        ${verdict.notes.length === 0 ? '' : `<details><summary>说明(${verdict.notes.length} 条:判断时的假定或无法判断之处)</summary>${verdict.notes.map((n) => `<p class="cite">${esc(n.text)}</p>`).join('')}</details>`}
      </div>
      ${me.may.dossier ? `<form class="toolbar" id="dossier-form"><div><label for="dossier-asof">提名审查日期</label><input type="date" id="dossier-asof" value="${esc(today())}" required></div>
        <div><label for="dossier-purpose">用途</label><input id="dossier-purpose" maxlength="200" value="提名审查"></div>
        <button type="submit">生成提名审查材料(PDF)</button><p id="dossier-status" role="status"></p></form>` : ''}
      <h2>时间轴</h2>
      <div class="chart timeline" id="chart-timeline" role="img" aria-label="事实与影响期、优先情形、调整情形的时间轴,数据见下表"></div>
      ${table('影响期、优先情形、调整情形与条件', ['类别', '种类', '规则', '自', '至(不含)', '当日是否有效', '依据'], effects.map((e) => [EFFECTS[e.effect] || e.effect, kindOf(e.effect, e.kind), e.ruleId, e.from, e.until === undefined ? '—' : e.until || '未定', e.holds ? '有效' : '已结束', { html: `<span title="${esc(e.citation.text)}">${esc(cite(e.citation))}</span>` }]), '没有')}
      ${table('事实', ['生效日', '记录时间', '事实', '文号', '记录人', '产生'], replay.timeline.map((t) => [t.effectiveAt, t.recordedAt, EVENT_TYPES[t.type] || t.type, t.documentRef || '', t.actor, t.effects.map((e) => EFFECTS[e.effect] || e.effect).join('、') + (t.neutralisedBy ? `(已${t.neutralisedBy.outcome === 'retracted' ? '撤回' : '免除或减轻'})` : '')]))}`;
    const slider = document.getElementById('knownat');
    slider.addEventListener('input', () => {
      document.getElementById('knownat-value').textContent = moments[Number(slider.value)];
    });
    slider.addEventListener('change', () => {
      const at = Number(slider.value) === moments.length - 1 ? '' : `?knownAt=${encodeURIComponent(moments[Number(slider.value)])}`;
      location.hash = `#/cadre/${encodeURIComponent(cadreId)}${at}`;
    });
    document.getElementById('knownat-now').addEventListener('click', () => {
      location.hash = `#/cadre/${encodeURIComponent(cadreId)}`;
    });
    timelineChart(document.getElementById('chart-timeline'), replay, effects);
    const dossierForm = document.getElementById('dossier-form');
    if (dossierForm) dossierForm.addEventListener('submit', (e) => {
      e.preventDefault();
      dossier(cadreId, document.getElementById('dossier-asof').value, document.getElementById('dossier-purpose').value.trim(), knownAt);
    });
  }

  /** The nomination dossier of this cadre as a PDF (POST /v1/nominations/dossier), saved by the browser. */
  async function dossier(cadreId, asOf, purpose, knownAt) {
    const status = document.getElementById('dossier-status');
    status.textContent = '正在生成…';
    const body = { cadreIds: [cadreId], asOf, ...(purpose ? { purpose } : {}), ...(knownAt ? { knownAt } : {}) };
    const res = await fetch('/v1/nominations/dossier', { method: 'POST', headers: { Authorization: `Bearer ${token()}`, Accept: 'application/pdf', 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) {
      const problem = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
      status.textContent = `未能生成:${problem && problem.detail ? problem.detail : `HTTP ${res.status}`}`;
      return;
    }
    const link = document.createElement('a');
    link.href = URL.createObjectURL(await res.blob());
    link.download = `提名审查材料-${cadreId}-${asOf}.pdf`;
    document.body.appendChild(link);
    link.click();
    link.remove();
    status.textContent = '已生成。';
  }

  function timelineChart(element, replay, effects) {
    const end = (e) => (e.until ? e.until : replay.asOf);
    const rows = ['事实', ...effects.map((e, i) => `${i + 1}. ${EFFECTS[e.effect] || e.effect}:${kindOf(e.effect, e.kind)}`)];
    element.style.height = `${Math.max(240, 80 + rows.length * 28)}px`;
    const first = replay.timeline.length > 0 ? replay.timeline[0].effectiveAt : replay.asOf;
    chart(element, {
      tooltip: {
        confine: true,
        formatter: (p) => {
          const d = p.data.detail;
          if (d.kind === 'fact') return `${esc(d.effectiveAt)} ${esc(EVENT_TYPES[d.type] || d.type)}${d.documentRef ? `<br>文号:${esc(d.documentRef)}` : ''}`;
          return `${esc(EFFECTS[d.effect] || d.effect)}:${esc(kindOf(d.effect, d.kind))}(${esc(d.ruleId)})<br>${esc(d.from)} 至 ${esc(d.until === undefined ? '—' : d.until || '未定')}<br>${esc(cite(d.citation))}<br><span style="white-space:normal">${esc(d.citation.text)}</span>`;
        },
      },
      grid: { left: 170, right: 30, top: 20, bottom: 50 },
      xAxis: { type: 'time', min: first, max: replay.asOf },
      yAxis: { type: 'category', data: rows, inverse: true },
      dataZoom: [{ type: 'slider', xAxisIndex: 0, bottom: 8 }],
      series: [
        { type: 'scatter', name: '事实', symbolSize: 10, itemStyle: { color: '#333' }, data: replay.timeline.map((t) => ({ value: [t.effectiveAt, 0], detail: { kind: 'fact', ...t } })) },
        {
          type: 'custom',
          name: '影响期等',
          renderItem: (params, api) => {
            const row = api.value(2);
            const start = api.coord([api.value(0), row]);
            const stop = api.coord([api.value(1), row]);
            const height = api.size([0, 1])[1] * 0.6;
            const shape = window.echarts.graphic.clipRectByRect(
              { x: start[0], y: start[1] - height / 2, width: Math.max(2, stop[0] - start[0]), height },
              { x: params.coordSys.x, y: params.coordSys.y, width: params.coordSys.width, height: params.coordSys.height },
            );
            return shape && { type: 'rect', shape, style: api.style() };
          },
          encode: { x: [0, 1], y: 2 },
          data: effects.map((e, i) => ({ value: [e.from, end(e), i + 1], itemStyle: { color: EFFECT_COLOURS[e.effect] || '#666', opacity: e.holds ? 1 : 0.45 }, detail: e })),
        },
      ],
    });
  }

  // ---- routing ------------------------------------------------------------------------------
  async function route() {
    if (!token()) return logout();
    if (!me && !(await login(token()))) return;
    disposeCharts();
    const [path, search] = location.hash.replace(/^#/, '').split('?');
    const params = new URLSearchParams(search || '');
    document.body.dataset.ready = '';
    view().innerHTML = '<p>加载中…</p>';
    try {
      const cadreMatch = /^\/cadre\/(.+)$/.exec(path || '');
      if (cadreMatch && me.may.history) await cadre(decodeURIComponent(cadreMatch[1]), params);
      else if (path === '/cadres' && me.may.cadres) await cadres(params);
      else if (me.may.stats || me.may.queues) await overview(params);
      else view().innerHTML = '<p>此令牌的角色不能查看看板的任何内容。</p>';
    } catch (error) {
      if (error.status !== 401) view().innerHTML = `<p class="error" role="alert">${esc(error.status === 404 ? '没有找到,或不在本令牌的单位范围内。' : `出错了:${error.message}`)}</p>`;
    }
    document.body.dataset.ready = location.hash || '#/';
  }

  document.addEventListener('DOMContentLoaded', () => {
    document.getElementById('login-form').addEventListener('submit', async (e) => {
      e.preventDefault();
      if (await login(document.getElementById('token').value)) {
        document.getElementById('token').value = '';
        await route();
      }
    });
    document.getElementById('logout').addEventListener('click', () => logout());
    window.addEventListener('hashchange', () => route());
    window.addEventListener('resize', () => charts.forEach((c) => c.resize()));
    route();
  });
})();
