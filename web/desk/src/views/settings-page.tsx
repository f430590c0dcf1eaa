export function SettingsPage() {
  return <h1 tabIndex={-1}>SettingsPage</h1>;
}
