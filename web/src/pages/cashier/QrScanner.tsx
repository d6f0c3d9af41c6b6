import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/I18nProvider';

// The Shape Detection API is not in TypeScript's DOM library yet.
interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>;
}
type BarcodeDetectorCtor = new (options: { formats: string[] }) => BarcodeDetectorLike;

function detectorClass(): BarcodeDetectorCtor | undefined {
  if (typeof window === 'undefined') return undefined;
  return (window as unknown as { BarcodeDetector?: BarcodeDetectorCtor }).BarcodeDetector;
}

/** Camera scanning is offered only where the browser can decode QR codes itself (no library). */
export function canScanQr(): boolean {
  return Boolean(detectorClass() && typeof navigator !== 'undefined' && navigator.mediaDevices?.getUserMedia);
}

/** A camera view that reports the first QR code it reads. Esc or "Close" stops the camera. */
export function QrScanner({ onResult, onClose }: { onResult: (text: string) => void; onClose: () => void }) {
  const { t } = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);
  const done = useRef(false);

  useEffect(() => {
    const Detector = detectorClass();
    if (!Detector) return;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const detector = new Detector({ formats: ['qr_code'] });

    const scan = async () => {
      if (stopped || !video.current) return;
      try {
        if (video.current.readyState >= 2) {
          const codes = await detector.detect(video.current);
          const text = codes.find((c) => c.rawValue)?.rawValue;
          if (text && !done.current) {
            done.current = true;
            onResult(text);
            return;
          }
        }
      } catch {
        // a frame that could not be read: try the next one
      }
      timer = setTimeout(() => void scan(), 200);
    };

    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then(async (s) => {
        if (stopped) {
          s.getTracks().forEach((track) => track.stop());
          return;
        }
        stream = s;
        if (video.current) {
          video.current.srcObject = s;
          await video.current.play().catch(() => undefined);
        }
        void scan();
      })
      .catch(() => setError(t('cashier.scan.noCamera')));

    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [onResult, t]);

  return (
    <div
      className="scanner"
      role="dialog"
      aria-modal="true"
      aria-label={t('cashier.scan.title')}
      data-testid="cashier-scanner"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="scanner-box">
        <h2>{t('cashier.scan.title')}</h2>
        {error ? (
          <p className="notice notice-error" role="alert">
            {error}
          </p>
        ) : (
          <video ref={video} className="scanner-video" muted playsInline />
        )}
        <p className="muted">{t('cashier.scan.hint')}</p>
        <button type="button" className="button button-secondary" onClick={onClose} autoFocus data-testid="cashier-scanner-close">
          {t('cashier.scan.close')}
        </button>
      </div>
    </div>
  );
}
