/** What the demo pages (web/demo/) show on a fresh install: the first site's two threads and the second site's one, and their readers' comments. */
export interface DemoComment {
  author: string;
  body: string;
  /** The index, in the same list, of the comment this one answers. */
  replyTo?: number;
  /** The author is put on pre-moderation first, so the comment waits in the console's queue. */
  heldForReview?: boolean;
  /** A reader reports it as spam once it is up. */
  reportedBy?: string;
}

export interface DemoThread {
  /** The key of the site the thread is on (its page's embed says site="KEY"); absent: the first site. */
  site?: string;
  /** The demo page the service serves the thread on: the article's URL is this path on the service's own address. */
  path: string;
  /** Where the article was before the demo pages were its address: a thread found there is moved. */
  formerUrl?: string;
  title: string;
  closed: boolean;
  comments: DemoComment[];
}

export const DEMO_THREADS: DemoThread[] = [
  {
    path: '/demo/',
    formerUrl: 'https://news.example/demo/budget',
    title: 'The budget, explained',
    closed: false,
    comments: [
      {
        author: 'Ada',
        body: 'Clear and useful, thanks. The chart of the thresholds finally made the freeze make sense to me.',
      },
      {
        author: 'Sam',
        body: 'Agreed, though the forecast assumes growth that nobody else expects next year.',
        replyTo: 0,
      },
      { author: 'Ada', body: 'Fair point. The independent forecasters are a good half point lower.', replyTo: 1 },
      {
        author: 'Priya',
        body: 'What does this mean for the childcare support announced in the spring? It is not mentioned at all.',
      },
      {
        author: 'Bargains4U',
        body: 'Save on your tax bill with our guaranteed scheme!!! Visit cheap-tax-tricks.example today',
        reportedBy: 'Priya',
      },
      {
        author: 'Rex',
        body: 'Another budget for the few. Everyone who voted for this should be ashamed.',
        heldForReview: true,
      },
      { author: 'Rex', body: 'And the minister should resign before the week is out.', heldForReview: true },
    ],
  },
  {
    path: '/demo/closed.html',
    formerUrl: 'https://news.example/demo/harbour',
    title: 'Harbour bridge reopens after repairs',
    closed: true,
    comments: [
      { author: 'Tom', body: 'Took the bus across this morning: twelve minutes instead of forty. Worth the wait.' },
      { author: 'Lena', body: 'Good news, but will the cycle lane on the east side be kept?' },
      { author: 'Tom', body: 'It is, and it is wider than before.', replyTo: 1 },
    ],
  },
  {
    // Read and written by the second site's readers only: no comment here waits or is reported,
    // so the first site's queues stay as they were.
    site: 'evening',
    path: '/demo/evening.html',
    title: 'Night buses return to the city centre',
    closed: false,
    comments: [
      {
        author: 'Maya',
        body: 'At last. Getting home after a late shift has meant a forty-minute walk since the spring.',
      },
      { author: 'Joe', body: 'Do they run on Sundays too? The timetable on the council site only shows weekdays.' },
      { author: 'Maya', body: 'Friday and Saturday nights for now, Sundays from next month.', replyTo: 1 },
      {
        author: 'Ines',
        body: 'Good to see the route past the hospital is back. Staff have been asking for it for years.',
      },
    ],
  },
];
