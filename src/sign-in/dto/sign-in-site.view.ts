/** A site whose own OpenID provider signs people in. */
export class SignInSiteView {
  /** As in the site's URLs and the embed's `site` attribute. */
  key: string;
  name: string;
}

export class SignInSiteListView {
  items: SignInSiteView[];
}
