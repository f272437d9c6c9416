/** When something happened, as a tab title or a tree row says it: "just now", "5 min ago", "3 h ago", "Nov 21". */
export function relativeTime(when: Date, now: Date = new Date()): string {
  const seconds = Math.max(0, (now.getTime() - when.getTime()) / 1000);
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  if (days < 7) return days === 1 ? 'yesterday' : `${days} days ago`;
  const sameYear = when.getFullYear() === now.getFullYear();
  return when.toLocaleDateString(
    'en-US',
    sameYear ? { month: 'short', day: 'numeric' } : { year: 'numeric', month: 'short', day: 'numeric' },
  );
}
