export function UserPage() {
  return <h1 tabIndex={-1}>UserPage</h1>;
}
