/** A row of `offerings`: what a lawyer sells (a consultation of a duration at a price). */
export interface Offering {
  id: string;
  lawyerId: string;
  title: string;
  description: string;
  /** 15–240. */
  durationMinutes: number;
  /** Integer minor units of `currency`. */
  priceMinor: number;
  /** ISO 4217. */
  currency: string;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export type OfferingFields = Pick<Offering, 'title' | 'description' | 'durationMinutes' | 'priceMinor' | 'currency' | 'active'>;

/** What a checkout needs of an offering that is for sale. */
export interface OfferingForSale {
  id: string;
  lawyerId: string;
  title: string;
  durationMinutes: number;
  priceMinor: number;
  currency: string;
}
