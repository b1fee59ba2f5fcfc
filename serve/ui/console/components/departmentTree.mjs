// The departments list (flat, with parent ids) as a tree in display order: each
// department after its parent, with its depth, siblings by name.
export function treeOrder(departments) {
  const children = new Map();
  for (const d of departments) {
    const key = d.parent_id ?? null;
    if (!children.has(key)) children.set(key, []);
    children.get(key).push(d);
  }
  const out = [];
  const known = new Set(departments.map((d) => d.id));
  const walk = (parent, depth) => {
    for (const d of (children.get(parent) || []).sort((a, b) => a.name.localeCompare(b.name))) {
      out.push({ ...d, depth });
      walk(d.id, depth + 1);
    }
  };
  walk(null, 0);
  // A supervisor reads only their subtree: its top has a parent they cannot see.
  for (const d of departments) if (d.parent_id != null && !known.has(d.parent_id)) walk(d.parent_id, 0);
  return out.filter((d, i, all) => all.findIndex((x) => x.id === d.id) === i);
}

export function departmentOptions({ tree }) {
  return tree.map((d) => ({ value: d.id, label: `${'\u00a0\u00a0'.repeat(d.depth)}${d.name}` }));
}
