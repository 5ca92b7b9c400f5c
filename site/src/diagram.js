// The state diagram is drawn from a protocol's fsm.Machine declaration as
// the simulator exports it (machines()), never from a per-protocol
// drawing: the states stack top to bottom in declaration order under the
// connection's start point; an edge between neighbours is a straight
// arrow, an edge that skips states or goes back up runs in a lane beside
// the boxes, and one that stays in its state loops at the box's corner.
// Numbered transitions (IMAP's (1)–(7), RFC 3501 section 3, and our 5r)
// are labelled with their number, others with their description, in the
// page's language (labels[lang]); states carry their titles (titles[lang]).

const SVG = 'http://www.w3.org/2000/svg';
const BOX_W = 176;
const BOX_H = 34;
const GAP = 58; // vertical space between two states
const LANE = 28; // distance between side lanes: a lane's label "(n)" fits between it and the next
const TOP = 18;
const LABEL_CHARS = 24;
const ARROW = 9; // arrowhead length in user units, whatever the stroke width
const LOOP_ROOM = 48; // room right of a box for a loop and its label

function el(name, attrs = {}, parent) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (parent) parent.appendChild(e);
  return e;
}

const numbered = (id) => /^\d+[a-z]?$/.test(id);

// labelIn is a transition's label in lang, or in English; titleIn a
// state's title.
const labelIn = (e, lang) => (e.labels && e.labels[lang]) || e.label;
const titleIn = (s, lang) => (s.titles && s.titles[lang]) || s.title;

// wrap splits a label into lines of at most n characters at spaces.
export function wrap(text, n) {
  const lines = [];
  let cur = '';
  for (const w of text.split(/\s+/)) {
    if (cur && cur.length + 1 + w.length > n) {
      lines.push(cur);
      cur = w;
    } else cur = cur ? cur + ' ' + w : w;
  }
  if (cur) lines.push(cur);
  return lines;
}

// layout places states and routes edges; it is pure so it can be tested
// without a browser.
export function layout(machine) {
  const rank = new Map([['', 0]]);
  machine.states.forEach((s, i) => rank.set(s.name, i + 1));
  const edges = machine.transitions.map((t) => ({ ...t, span: rank.get(t.to) - rank.get(t.from) }));
  const lanes = { left: [], right: [] };
  const sorted = [...edges].sort((a, b) => Math.abs(a.span) - Math.abs(b.span));
  for (const e of sorted) {
    if (e.span === 1) continue;
    if (e.span === 0) {
      e.loop = true;
      continue;
    }
    e.side = e.from === '' || e.span < 0 ? 'right' : 'left';
    const lo = Math.min(rank.get(e.from), rank.get(e.to));
    const hi = Math.max(rank.get(e.from), rank.get(e.to));
    const side = lanes[e.side];
    let k = side.findIndex((lane) => lane.every(([a, b]) => hi < a || lo > b));
    if (k < 0) {
      k = side.length;
      side.push([]);
    }
    side[k].push([lo, hi]);
    e.lane = k;
  }
  const textRoom = edges.some((e) => !numbered(e.id)) ? LABEL_CHARS * 6.2 + 14 : 0;
  const loopRoom = edges.some((e) => e.loop) ? LOOP_ROOM : 0;
  const left = 12 + lanes.left.length * LANE;
  const laneLabel = lanes.right.length ? 24 : 0; // "(3)" right of the outermost lane
  const right = 12 + Math.max(lanes.right.length * LANE + laneLabel, textRoom - BOX_W / 2, loopRoom);
  const width = left + BOX_W + right;
  const cx = left + BOX_W / 2;
  const y = (r) => (r === 0 ? TOP : TOP + 40 + (r - 1) * (BOX_H + GAP));
  const lastLoops = edges.some((e) => e.loop && rank.get(e.from) === machine.states.length);
  const height = y(machine.states.length) + BOX_H + (lastLoops ? 30 : 12);
  return { rank, edges, width, height, cx, y };
}

// endpoints gives the attachment points of an edge on its source and
// target, spreading edges that share a box side.
function route(L, e, usage) {
  const { rank, cx, y } = L;
  const r1 = rank.get(e.from);
  const r2 = rank.get(e.to);
  if (e.loop) {
    // Out of the box's bottom near its right corner, round, and back into
    // its right side; the label right of the loop's foot, below the lanes'
    // ends on that side.
    const right = cx + BOX_W / 2;
    const bottom = y(r1) + BOX_H;
    return {
      d: `M${right - 26},${bottom} V${bottom + 16} H${right + 14} V${bottom - 8} H${right + 1}`,
      lx: right + 18,
      ly: bottom + 18,
    };
  }
  if (e.span === 1) {
    const y1 = r1 === 0 ? y(0) + 5 : y(r1) + BOX_H;
    return { d: `M${cx},${y1} V${y(r2) - 2}`, lx: cx + 6, ly: (y1 + y(r2)) / 2 };
  }
  const dir = e.side === 'left' ? -1 : 1;
  const laneX = cx + dir * (BOX_W / 2 + LANE * (e.lane + 1));
  const slot = (state, isSource) => {
    const key = `${state}/${e.side}`;
    const n = usage.get(key) || 0;
    usage.set(key, n + 1);
    const off = (n % 2 ? 1 : -1) * Math.ceil(n / 2) * 7;
    return isSource && state === '' ? y(0) : y(rank.get(state)) + BOX_H / 2 + off;
  };
  const sy = slot(e.from, true);
  const ty = slot(e.to, false);
  const sx = e.from === '' ? cx + dir * 5 : cx + (dir * BOX_W) / 2;
  const tx = cx + (dir * BOX_W) / 2 + dir * 2;
  let ly = (sy + ty) / 2;
  if (e.side === 'left') {
    // The label reaches in over the boxes' column: put it in the gap
    // between two states nearest the lane's middle (the lower one on a tie).
    let best = Infinity;
    for (let r = Math.min(r1, r2); r < Math.max(r1, r2); r++) {
      const gap = (y(r) + BOX_H + y(r + 1)) / 2;
      if (Math.abs(gap - (sy + ty) / 2) <= Math.abs(best - (sy + ty) / 2)) best = gap;
    }
    if (best !== Infinity) ly = best;
  }
  return { d: `M${sx},${sy} H${laneX} V${ty} H${tx}`, lx: laneX + 4, ly };
}

export class Diagram {
  // uid makes the arrow markers' ids unique on a page with several
  // diagrams; lang picks the transitions' labels.
  constructor(machine, uid, { startLabel = 'connect', lang = 'en' } = {}) {
    this.machine = machine;
    const L = layout(machine);
    this.svg = el('svg', { viewBox: `0 0 ${L.width} ${L.height}`, width: L.width, height: L.height, role: 'img', class: 'diagram' });
    // One arrowhead per look, in user units: a thicker active edge keeps
    // an arrowhead of the same size, in the edge's colour.
    const defs = el('defs', {}, this.svg);
    this.markers = { off: `arrow-${uid}`, on: `arrow-${uid}-on` };
    for (const [state, id] of Object.entries(this.markers)) {
      const marker = el('marker', {
        id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: ARROW, markerHeight: ARROW,
        markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse',
      }, defs);
      el('path', { d: 'M0,0 L10,5 L0,10 z', class: state === 'on' ? 'arrowhead arrowhead-on' : 'arrowhead' }, marker);
    }

    const start = el('g', { class: 'start' }, this.svg);
    el('circle', { cx: L.cx, cy: L.y(0), r: 5 }, start);
    this.startText = el('text', { x: L.cx - 10, y: L.y(0) + 4, 'text-anchor': 'end' }, start);
    this.startText.textContent = startLabel;

    this.edges = [];
    this.labels = [];
    const usage = new Map();
    const edgeLayer = el('g', { class: 'edges' }, this.svg);
    for (const e of L.edges) {
      const r = route(L, e, usage);
      const g = el('g', { class: 'edge', 'data-transition': e.id, 'data-from': e.from, 'data-to': e.to }, edgeLayer);
      if (e.loop) g.setAttribute('data-loop', 'true');
      const title = el('title', {}, g);
      el('path', { d: r.d, 'marker-end': `url(#${this.markers.off})` }, g);
      const text = el('text', { x: r.lx, y: r.ly, class: 'edge-label' }, g);
      this.labels.push({ e, r, title, text });
      this.edges.push(g);
    }

    this.states = new Map();
    this.stateTexts = [];
    for (const s of machine.states) {
      const g = el('g', { class: 'state', 'data-state': s.name }, this.svg);
      el('rect', { x: L.cx - BOX_W / 2, y: L.y(L.rank.get(s.name)), width: BOX_W, height: BOX_H, rx: 8 }, g);
      const text = el('text', { x: L.cx, y: L.y(L.rank.get(s.name)) + BOX_H / 2 + 5, 'text-anchor': 'middle' }, g);
      this.stateTexts.push({ s, text });
      this.states.set(s.name, g);
    }
    this.setLang(lang);
    this.current = '';
  }

  // setLang writes the states' titles and the transitions' labels and
  // tooltips in lang.
  setLang(lang) {
    this.lang = lang;
    for (const { s, text } of this.stateTexts) text.textContent = titleIn(s, lang);
    for (const { e, r, title, text } of this.labels) {
      const label = labelIn(e, lang);
      title.textContent = numbered(e.id) ? `(${e.id}) ${label}` : label;
      const lines = numbered(e.id) ? [`(${e.id})`] : wrap(label, LABEL_CHARS);
      text.setAttribute('y', r.ly - ((lines.length - 1) * 12) / 2 + 4);
      text.replaceChildren();
      lines.forEach((line, i) => {
        el('tspan', { x: r.lx, dy: i === 0 ? 0 : 12 }, text).textContent = line;
      });
    }
  }

  setStartLabel(text) {
    this.startText.textContent = text;
  }

  title(state) {
    const s = this.machine.states.find((st) => st.name === state);
    return s ? titleIn(s, this.lang) : state;
  }

  // setState marks state as the current one (aria-current on it alone);
  // "" (not connected yet) marks none.
  setState(state) {
    this.current = state;
    for (const [name, g] of this.states) {
      if (name === state) g.setAttribute('aria-current', 'true');
      else g.removeAttribute('aria-current');
    }
  }

  // take marks the edge of the transition just taken as the active one and
  // restarts its animation.
  take(id, from, to) {
    for (const g of this.edges) {
      const hit = g.dataset.transition === id && g.dataset.from === (from || '') && g.dataset.to === to;
      if (hit) {
        g.removeAttribute('data-active');
        void g.getBoundingClientRect(); // restart the CSS animation
        g.setAttribute('data-active', 'true');
      } else g.removeAttribute('data-active');
      this.arrow(g, hit);
    }
    this.setState(to);
  }

  // reset forgets the session: no current state, no active edge.
  reset() {
    for (const g of this.edges) {
      g.removeAttribute('data-active');
      this.arrow(g, false);
    }
    this.showAllowed([]);
    this.setState('');
  }

  arrow(g, on) {
    g.querySelector('path').setAttribute('marker-end', `url(#${on ? this.markers.on : this.markers.off})`);
  }

  // showAllowed outlines the states where a refused command would have
  // been accepted.
  showAllowed(states) {
    for (const [name, g] of this.states) {
      if (states.includes(name)) g.setAttribute('data-allowed', 'true');
      else g.removeAttribute('data-allowed');
    }
  }
}
