import type { Metadata } from "next";
import { HydrationMarker } from "@/components/providers/hydration-marker";
import "./globals.css";

// Every page is rendered per request: its scripts carry the request's CSP nonce (proxy.ts), which a
// page prerendered at build time could not.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Bulkhead", template: "%s · Bulkhead" },
  description: "Network segmentation posture of your AKS estate, over time and per owner.",
};

export default function RootLayout({ children }: Readonly<{ children: React.ReactNode }>) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        {children}
        <HydrationMarker />
      </body>
    </html>
  );
}
