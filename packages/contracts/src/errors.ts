/** Every error the API returns has this shape. */
export interface ApiError {
  statusCode: number;
  message: string;
}
