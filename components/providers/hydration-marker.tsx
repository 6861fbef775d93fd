"use client";

import { useEffect } from "react";

/**
 * Marks the document once React has hydrated it. Typing into a server-rendered input before that
 * is lost when React takes over, so the end-to-end tests wait for this mark after each load.
 */
export function HydrationMarker() {
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return null;
}
