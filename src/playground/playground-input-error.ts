/** A request from the playground's page naming something that does not exist: answered 400 with the reason. */
export class PlaygroundInputError extends Error {
  override readonly name = 'PlaygroundInputError';
}
