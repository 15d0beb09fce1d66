/**
 * The body of a successful call. The client's middleware throws an ApiError for every error
 * response, so an answer here is a success; a 2xx without a body gives undefined.
 */
export async function dataOf<T>(call: Promise<{ data?: T; error?: unknown }>): Promise<T> {
  const { data } = await call;
  return data as T;
}
