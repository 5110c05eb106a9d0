// What the widget build gives @twilio/conversations for `@twilio/mcs-client`
// (sdk-lazy-media-plugin.ts): the package as it is, except that its Client, the media
// service's HTTP client, loads on the first media request (mcs-media-client.ts). The SDK
// builds a media client for every chat, but only attachments use it: about 1.8 KB gzip off
// the way to a connected chat (#18). CancellablePromise and Media are the package's own
// classes, loaded with the SDK: the SDK checks media against them with `instanceof`, and
// the Client, once loaded, makes its media and promises from the same modules.
import type { Client as MediaClient } from '@twilio/mcs-client';
import { CancellablePromise } from '@twilio/mcs-client/dist/cancellable-promise.js';
import { Media } from '@twilio/mcs-client/dist/media.js';

export { CancellablePromise, Media, Media as McsMedia };

type Options = ConstructorParameters<typeof MediaClient>[3];

/** Loads the real Client (a test may give its own). */
export type LoadClient = () => Promise<typeof MediaClient>;
const loadClient: LoadClient = () => import('./mcs-media-client.ts').then((m) => m.Client);

/** @twilio/mcs-client's Client, the same methods, its code loaded when first asked for media. */
export class McsClient {
  private token: string;
  private client?: Promise<MediaClient>;

  constructor(
    token: string,
    private readonly baseUrl: string,
    private readonly baseSetUrl: string | null,
    private readonly options: Options = {},
    private readonly load: LoadClient = loadClient,
  ) {
    this.token = token;
  }

  /** The real Client, made with the latest token; if loading or making it fails, the next request tries again. */
  private real(): Promise<MediaClient> {
    this.client ??= this.load()
      .then((Client) => new Client(this.token, this.baseUrl, this.baseSetUrl, this.options))
      .catch((error: unknown) => {
        this.client = undefined;
        throw error;
      });
    return this.client;
  }

  /** `request` on the real Client, as a CancellablePromise that also cancels while it loads. */
  private later<T>(request: (client: MediaClient) => CancellablePromise<T>): CancellablePromise<T> {
    return new CancellablePromise<T>(async (resolve, reject, onCancel) => {
      let cancelled = false;
      let pending: CancellablePromise<T> | undefined;
      onCancel(() => {
        cancelled = true;
        pending?.cancel();
      });
      try {
        const client = await this.real();
        if (cancelled) return;
        pending = request(client);
        resolve(await pending);
      } catch (error) {
        reject(error as Error);
      }
    });
  }

  updateToken(token: string): void {
    if (typeof token !== 'string' || token === '') throw new TypeError('updateToken: the token must be a non-empty string');
    this.token = token;
    // A Client being made takes this.token when it is made; one already made is told.
    void this.client?.then((client) => client.updateToken(token), () => undefined);
  }

  get(sid: string): CancellablePromise<Media> {
    return this.later((client) => client.get(sid));
  }

  post(contentType: string, media: string | Buffer | Blob, category: Parameters<MediaClient['post']>[2], filename?: string): CancellablePromise<Media> {
    return this.later((client) => client.post(contentType, media, category, filename));
  }

  postFormData(formData: FormData, category?: Parameters<MediaClient['postFormData']>[1]): CancellablePromise<Media> {
    return this.later((client) => client.postFormData(formData, category));
  }

  mediaSetGet(mediaSids: string[]): CancellablePromise<Media[]> {
    return this.later((client) => client.mediaSetGet(mediaSids));
  }

  mediaSetGetContentUrls(mediaSids: string[]): CancellablePromise<Map<string, string>> {
    return this.later((client) => client.mediaSetGetContentUrls(mediaSids));
  }
}

export { McsClient as Client, McsClient as default };
