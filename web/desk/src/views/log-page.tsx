export function LogPage() {
  return <h1 tabIndex={-1}>LogPage</h1>;
}
